import { describe, expect, it } from 'vitest';
import transform from '../../codemods/listen-requires-host';
import rule from '../../src/rules/listen-requires-host';
import { defineFixtureTests, runCodemod } from '../helpers/run-codemod';

defineFixtureTests('listen-requires-host', transform, { name: 'listen-requires-host', module: rule });

describe('listen-requires-host codemod options', () => {
  const fastify = "import Fastify from 'fastify';\nconst app = Fastify();\napp.listen({ port: 3000 });\n";

  it('takes the fallback host from --fallback-host', async () => {
    const run = await runCodemod(transform, fastify, 'src/server.ts', { 'fallback-host': '::' });
    expect(run.output).toContain("host: process.env.HOST ?? '::'");
  });

  it('reports an invalid option instead of crashing the run', async () => {
    const run = await runCodemod(transform, fastify, 'src/server.ts', { 'fallback-host': '' });
    expect(run.changed).toBe(false);
    expect(run.reports.join('\n')).toMatch(/skipped: .*should NOT be shorter than 1 characters/);
  });

  it('skips files without a listen call before parsing them', async () => {
    const run = await runCodemod(transform, 'this is not JavaScript at all {{{', 'src/notes.ts');
    expect(run).toEqual({ output: 'this is not JavaScript at all {{{', changed: false, reports: [] });
  });
});
