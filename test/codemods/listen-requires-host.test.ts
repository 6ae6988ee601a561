import { describe, expect, it } from 'vitest';
import transform from '../../codemods/listen-requires-host';
import { verifyWithPluginRule } from '../../codemods/lib/apply-rule-fixes';
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

describe('listen-requires-host codemod on package.json and deploy files', () => {
  const scripts = (start: string) => `{\n\t"name": "web",\n\t"scripts": {\n\t\t"build": "vite build",\n\t\t"start": ${JSON.stringify(start)}\n\t}\n}\n`;
  const cases = [
    { file: 'package.json', input: scripts('vite preview --port $PORT'), output: scripts('vite preview --port $PORT --host') },
    { file: 'package.json', input: scripts('vite preview --port "$PORT"'), output: scripts('vite preview --port "$PORT" --host') },
    { file: 'Dockerfile', input: 'FROM node:20\r\nCMD ["npx", "vite", "preview", "--port", "8080"]\r\n', output: 'FROM node:20\r\nCMD ["npx", "vite", "preview", "--port", "8080", "--host"]\r\n' },
    { file: 'Procfile', input: 'release: npx prisma migrate deploy\nweb: vite preview --port $PORT\n', output: 'release: npx prisma migrate deploy\nweb: vite preview --port $PORT --host\n' },
  ];

  for (const { file, input, output } of cases) {
    it(`adds --host in ${file}, keeping every other byte, once`, async () => {
      const run = await runCodemod(transform, input, file);
      expect(run.output).toBe(output);
      const again = await runCodemod(transform, run.output, file);
      expect(again.changed).toBe(false);
      const messages = verifyWithPluginRule('listen-requires-host', rule, run.output, file);
      expect(messages, 'the output parses and the rule has nothing left to report').toEqual([]);
    });
  }

  it('reports an explicit loopback host and leaves the file as it was', async () => {
    const input = scripts('next start -H 127.0.0.1');
    const run = await runCodemod(transform, input, 'package.json');
    expect(run).toMatchObject({ output: input, changed: false });
    expect(run.reports.join('\n')).toMatch(/line 5: not rewritten: `next start` in the "start" script binds `127\.0\.0\.1`/);
  });

  it('leaves package.json files without a Vite or Next server byte-identical', async () => {
    const input = '{\n  "scripts": { "start": "next start", "dev": "vite", "build": "next build" },\n  "dependencies": { "@hapi/hapi": "^21" }\n}\n';
    const run = await runCodemod(transform, input, 'package.json');
    expect(run).toEqual({ output: input, changed: false, reports: [] });
  });
});
