import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import transform from '../../codemods/shutdown-must-close-server';
import rule from '../../src/rules/shutdown-must-close-server';
import { defineFixtureTests, runCodemod } from '../helpers/run-codemod';
import { scratchDirectory } from '../helpers/scratch';

defineFixtureTests('shutdown-must-close-server', transform, { name: 'shutdown-must-close-server', module: rule });

describe('shutdown-must-close-server codemod options', () => {
  const server = "import express from 'express';\nconst app = express();\nconst server = app.listen(3000);\nprocess.on('SIGTERM', () => {\n  process.exit(0);\n});\n";

  it('takes the hard deadline from --timeout-ms', async () => {
    const run = await runCodemod(transform, server, 'src/server.ts', { 'timeout-ms': 4000 });
    expect(run.output).toContain('const deadlineMs = 4000;');
  });

  it('reports an invalid deadline and leaves the file alone', async () => {
    const run = await runCodemod(transform, server, 'src/server.ts', { 'timeout-ms': 'soon' });
    expect(run.changed).toBe(false);
    expect(run.reports.join('\n')).toContain('--timeout-ms must be a positive whole number');
  });
});

describe('shutdown-must-close-server codemod on a module that starts no server', () => {
  const prismaModule = `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient();
process.on('SIGTERM', async () => {
  await prisma.$disconnect();
  process.exit(0);
});
`;

  function servicePackage(files: Record<string, string>): string {
    const directory = scratchDirectory('deploy-safe-shutdown-codemod-');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(directory, name)), { recursive: true });
      writeFileSync(join(directory, name), text);
    }
    return directory;
  }

  it('names the module that starts the server (from package.json start) and leaves the Prisma module alone', async () => {
    const directory = servicePackage({
      'package.json': JSON.stringify({ scripts: { start: 'node dist/server.js' }, dependencies: { express: '^5.0.0' } }),
      'src/server.ts': "import express from 'express';\nconst app = express();\napp.listen(3000);\n",
    });
    const run = await runCodemod(transform, prismaModule, join(directory, 'src', 'lib', 'prisma.ts'));
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual([
      'line 3: not rewritten: this module starts no server, but the package runs one (express in package.json): move this shutdown to `src/server.ts`, where the server is started, close the server there before disconnecting, and stop exiting the process here',
    ]);
  });

  it('says so when the module that starts the server cannot be found', async () => {
    const directory = servicePackage({ 'package.json': JSON.stringify({ dependencies: { fastify: '^5.0.0' } }) });
    const run = await runCodemod(transform, prismaModule, join(directory, 'src', 'db.ts'));
    expect(run.reports).toEqual([
      'line 3: not rewritten: this module starts no server, but the package runs one (fastify in package.json): move this shutdown to the module that calls `listen()` (not found from package.json `main`/`start`), close the server there before disconnecting, and stop exiting the process here',
    ]);
  });
});
