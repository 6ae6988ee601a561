import { describe, expect, it } from 'vitest';
import transform from '../../codemods/pg-pool-requires-timeout';
import rule from '../../src/rules/pg-pool-requires-timeout';
import { defineFixtureTests, runCodemod } from '../helpers/run-codemod';

defineFixtureTests('pg-pool-requires-timeout', transform, { name: 'pg-pool-requires-timeout', module: rule });

describe('pg-pool-requires-timeout codemod options', () => {
  const source = "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n";

  it('takes the timeout from --connection-timeout-millis', async () => {
    const run = await runCodemod(transform, source, 'src/db.ts', { 'connection-timeout-millis': '3000' });
    expect(run.output).toBe("import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 3000 });\n");
  });

  it('reports an invalid timeout instead of crashing the run', async () => {
    const run = await runCodemod(transform, source, 'src/db.ts', { 'connection-timeout-millis': 'soon' });
    expect(run.changed).toBe(false);
    expect(run.reports.join('\n')).toMatch(/skipped: .*"soon" should be integer/);
  });

  it('skips files without a pool before parsing them', async () => {
    const run = await runCodemod(transform, 'this is not JavaScript at all {{{', 'src/notes.ts');
    expect(run).toEqual({ output: 'this is not JavaScript at all {{{', changed: false, reports: [] });
  });
});
