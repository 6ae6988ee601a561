import { describe, expect, it } from 'vitest';
import transform from '../../codemods/shutdown-must-close-server';
import rule from '../../src/rules/shutdown-must-close-server';
import { defineFixtureTests, runCodemod } from '../helpers/run-codemod';

defineFixtureTests('shutdown-must-close-server', transform, { name: 'shutdown-must-close-server', module: rule });

describe('shutdown-must-close-server codemod options', () => {
  const server = "import express from 'express';\nconst app = express();\nconst server = app.listen(3000);\nprocess.on('SIGTERM', () => {\n  process.exit(0);\n});\n";

  it('takes the hard deadline from --timeout-ms', async () => {
    const run = await runCodemod(transform, server, 'src/server.ts', { 'timeout-ms': 4000 });
    expect(run.output).toContain('}, 4000).unref();');
  });

  it('reports an invalid deadline and leaves the file alone', async () => {
    const run = await runCodemod(transform, server, 'src/server.ts', { 'timeout-ms': 'soon' });
    expect(run.changed).toBe(false);
    expect(run.reports.join('\n')).toContain('--timeout-ms must be a positive whole number');
  });
});
