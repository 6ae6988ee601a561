/**
 * The findings `fix` hands its codemods during a pass (PassFindings in src/cli/codemod-runner.ts): the
 * start lint while it holds, a lint with every rule on of any other text, and no answer once a file the
 * findings depend on has changed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESLint, type Linter } from 'eslint';
import { PassFindings } from '../../src/cli/codemod-runner';
import { projectConfig } from '../../src/cli/check';
import { scratchDirectory, writeProject } from '../helpers/scratch';

const scratch = scratchDirectory('deploy-safe-pass-findings-');

const CLIENT = "import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n";
const SERVER = "import express from 'express';\n\nconst app = express();\napp.listen(3000);\nprocess.on('SIGTERM', () => process.exit(0));\n";
const FILES = {
  'package.json': JSON.stringify({ name: 'svc', scripts: { start: 'node dist/server.js' }, dependencies: { express: '^5.0.0', '@prisma/client': '^6.0.0' } }),
  'src/db.ts': CLIENT,
  'src/server.ts': SERVER,
};

/** A pass over a fresh copy of the project, started from a real lint of it. */
async function startPass(name: string): Promise<{ dir: string; pass: PassFindings; start: Map<string, readonly Linter.LintMessage[]> }> {
  const dir = writeProject(scratch, name, FILES);
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: projectConfig(dir) });
  const start = new Map<string, readonly Linter.LintMessage[]>();
  const files = new Map<string, { source: string; messages: readonly Linter.LintMessage[] }>();
  const rules = new Map<string, Set<string>>();
  for (const result of await eslint.lintFiles(['.'])) {
    const file = result.filePath.slice(dir.length + 1);
    start.set(file, result.messages);
    files.set(file, { source: FILES[file as keyof typeof FILES], messages: result.messages });
    const config = (await eslint.calculateConfigForFile(result.filePath)) as { rules: Record<string, unknown[]> };
    rules.set(file, new Set(Object.keys(config.rules).filter((id) => id.startsWith('deploy-safe/') && config.rules[id][0] !== 0).map((id) => id.slice('deploy-safe/'.length))));
  }
  return { dir, pass: new PassFindings(dir, files, rules, projectConfig(dir)), start };
}

describe('the findings of a fix pass', () => {
  it('answer from the start lint while the file and what it depends on are unchanged', async () => {
    const { dir, pass, start } = await startPass('unchanged');
    expect(pass.messagesFor(join(dir, 'src/server.ts'), SERVER, 'listen-requires-host')).toBe(start.get('src/server.ts'));
    expect(pass.messagesFor(join(dir, 'src/server.ts'), SERVER, 'listen-requires-host')!.map((message) => message.ruleId)).toContain('deploy-safe/listen-requires-host');
  });

  it('lint a text a codemod wrote once, with every rule on, and keep that lint for the next codemod and the lint after the pass', async () => {
    const { dir, pass } = await startPass('rewritten');
    const rewritten = SERVER.replace('app.listen(3000)', "app.listen(3000, '0.0.0.0')");
    const first = pass.messagesFor(join(dir, 'src/server.ts'), rewritten, 'listen-requires-host');
    expect(first!.some((message) => message.ruleId === 'deploy-safe/listen-requires-host')).toBe(false);
    expect(first!.some((message) => message.ruleId === 'deploy-safe/shutdown-must-close-server')).toBe(true);
    expect(pass.messagesFor(join(dir, 'src/server.ts'), rewritten, 'shutdown-must-close-server')).toBe(first);
    writeFileSync(join(dir, 'src/server.ts'), rewritten);
    pass.changed(['src/server.ts']);
    expect(pass.current('src/server.ts', rewritten)).toBe(first);
  });

  it('no longer hold for a module that names PrismaClient once another one that names it changed; a change elsewhere keeps them', async () => {
    const { dir, pass, start } = await startPass('client-module');
    writeFileSync(join(dir, 'src/server.ts'), `${SERVER}// started\n`);
    pass.changed(['src/server.ts']);
    expect(pass.current('src/db.ts', CLIENT)).toBe(start.get('src/db.ts'));
    writeFileSync(join(dir, 'src/lib.ts'), CLIENT);
    pass.changed(['src/lib.ts']);
    expect(pass.current('src/db.ts', CLIENT)).toBeUndefined();
    expect(pass.current('src/server.ts', `${SERVER}// started\n`), 'a text nobody linted').toBeUndefined();
  });

  it('no longer hold for a deploy file once any file changed, nor for code once a field of package.json the code rules read changed', async () => {
    const { dir, pass, start } = await startPass('deploy-file');
    writeFileSync(join(dir, 'src/server.ts'), `${SERVER}// started\n`);
    pass.changed(['src/server.ts']);
    expect(pass.current('package.json', FILES['package.json'])).toBeUndefined();
    expect(pass.current('src/db.ts', CLIENT)).toBe(start.get('src/db.ts'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...JSON.parse(FILES['package.json']), dependencies: { fastify: '^5.0.0' } }));
    pass.changed(['package.json']);
    expect(pass.current('src/db.ts', CLIENT)).toBeUndefined();
  });
});
