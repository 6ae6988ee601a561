/**
 * Fault injection for `deploy-safe fix`: a codemod that writes code that does not parse, invalid
 * shell, a type error, a new finding or a rewrite that is not stable must not get its file kept. Each
 * case swaps one codemod for a faulty transform and checks the file comes back byte for byte, with
 * the reason, while a correct rewrite in the same run is kept.
 */
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirectory, writeProject } from '../helpers/scratch';

const root = join(__dirname, '..', '..');
// The built CLI (as the other CLI tests use): fix loads the codemods (and the injected transforms) from dist/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fix } = require(join(root, 'dist', 'src', 'cli', 'fix')) as typeof import('../../src/cli/fix');
const scratch = scratchDirectory('deploy-safe-fix-checks-');

const FASTIFY = "import Fastify from 'fastify';\n\nconst app = Fastify();\nawait app.listen({ port: 3000 });\n";
const PACKAGE = '{\n  "name": "svc",\n  "private": true,\n  "scripts": {\n    "prestart": "prisma generate && (prisma db push --accept-data-loss || true) && node server.js"\n  }\n}\n';

const project = (name: string, files: Record<string, string>): string => writeProject(scratch, name, files);

/** A jscodeshift transform (CommonJS) that rewrites the way `body` says. */
function faultyTransform(name: string, body: string): string {
  const path = join(scratch, `${name}.cjs`);
  writeFileSync(path, `module.exports = function (file) {\n${body}\n};\n`);
  return path;
}

describe('fix keeps only rewrites that pass every check', () => {
  it('a rewrite that does not parse is put back, with its reason; the real listen-host rewrite elsewhere is kept', async () => {
    const dir = project('unparsable', { 'src/server.ts': FASTIFY, 'src/other.ts': FASTIFY.replace('3000', '4000') });
    const broken = faultyTransform('unparsable', "if (!file.path.endsWith('server.ts')) return require(process.env.REAL_LISTEN).default(...arguments); return file.source.replace('await app', 'await (app');");
    process.env.REAL_LISTEN = join(root, 'dist', 'codemods', 'listen-requires-host.js');
    const result = await fix(dir, { dryRun: false, typeCheck: false, transforms: { 'listen-requires-host': broken } });
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toBe(FASTIFY);
    expect(result.reverted).toEqual([{ file: 'src/server.ts', reason: expect.stringMatching(/^the rewrite does not parse \(Parsing error: .*line 4\)$/) }]);
    expect(readFileSync(join(dir, 'src/other.ts'), 'utf8')).toContain("host: process.env.HOST ?? '0.0.0.0'");
  }, 120_000);

  it('a command that is not valid shell is put back (an unclosed subshell)', async () => {
    const dir = project('shell', { 'package.json': PACKAGE });
    const broken = faultyTransform('shell', "return file.source.replace('(prisma db push --accept-data-loss || true)', '(prisma migrate deploy');");
    const result = await fix(dir, { dryRun: false, typeCheck: false, transforms: { 'no-db-push-script': broken } });
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(PACKAGE);
    expect(result.reverted).toEqual([
      { file: 'package.json', reason: expect.stringMatching(/^the rewritten command is not valid shell: `prisma generate && \(prisma migrate deploy && node server\.js` \(.*syntax error.*\)$/) },
    ]);
  }, 120_000);

  it('a rewrite that adds a finding of another rule is put back', async () => {
    const server = "import express from 'express';\n\nconst app = express();\napp.listen(3000, '0.0.0.0');\n";
    const dir = project('new-finding', { 'src/server.ts': server });
    const broken = faultyTransform('new-finding', "return file.source.replace(\"'0.0.0.0'\", \"'127.0.0.1'\");");
    const result = await fix(dir, { dryRun: false, typeCheck: false, transforms: { 'no-file-logger-in-prod': broken } });
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toBe(server);
    expect(result.reverted).toEqual([{ file: 'src/server.ts', reason: expect.stringMatching(/^the rewrite adds a listen-requires-host finding \(line 4: /) }]);
  }, 120_000);

  it('a rewrite that spans two files is put back whole when one of them fails a check', async () => {
    const database = "export const db = { close() {} };\nprocess.on('SIGTERM', () => process.exit(0));\n";
    const dir = project('linked', { 'src/server.ts': FASTIFY, 'src/db.ts': database });
    process.env.LINKED_WRITES = join(root, 'dist', 'codemods', 'lib', 'linked-writes.js');
    // Moves the handler out of db.ts into server.ts, and writes server.ts so that it does not parse.
    const broken = faultyTransform(
      'linked',
      "if (!file.path.endsWith('db.ts')) return undefined;\n" +
        "const server = file.path.replace('db.ts', 'server.ts');\n" +
        "require(process.env.LINKED_WRITES).writeLinkedFile(file.path, server, require('fs').readFileSync(server, 'utf8') + 'process.on((\\n');\n" +
        "return file.source.replace(/process\\.on[^\\n]*\\n/, '');",
    );
    const result = await fix(dir, { dryRun: false, typeCheck: false, transforms: { 'shutdown-must-close-server': broken } });
    // Byte for byte as it was, the listen-host rewrite of the same file included.
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toBe(FASTIFY);
    expect(readFileSync(join(dir, 'src/db.ts'), 'utf8')).toBe(database);
    expect(result.reverted).toEqual([
      { file: 'src/db.ts', reason: 'it was rewritten together with src/server.ts, which was not kept' },
      { file: 'src/server.ts', reason: expect.stringMatching(/^the rewrite does not parse/) },
    ]);
  }, 120_000);

  it('a file written alongside a rewrite that then failed is put back', async () => {
    const database = "export const db = { close() {} };\nprocess.on('SIGTERM', () => process.exit(0));\n";
    const server = "import express from 'express';\n\nconst app = express();\napp.listen(3000, '0.0.0.0');\n";
    const dir = project('linked-failed', { 'src/server.ts': server, 'src/db.ts': database });
    process.env.LINKED_WRITES = join(root, 'dist', 'codemods', 'lib', 'linked-writes.js');
    const broken = faultyTransform(
      'linked-failed',
      "if (!file.path.endsWith('db.ts')) return undefined;\n" +
        "const other = file.path.replace('db.ts', 'server.ts');\n" +
        "require(process.env.LINKED_WRITES).writeLinkedFile(file.path, other, require('fs').readFileSync(other, 'utf8') + '// moved here\\n');\n" +
        "throw new Error('gave up half way');",
    );
    const result = await fix(dir, { dryRun: false, typeCheck: false, transforms: { 'shutdown-must-close-server': broken } });
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toBe(server);
    expect(result.reverted).toEqual([{ file: 'src/server.ts', reason: 'it was rewritten together with src/db.ts, whose rewrite was not written' }]);
    expect(result.outcomes.find((outcome) => outcome.codemod === 'shutdown-must-close-server')?.errors).toEqual(['src/db.ts: Transformation error (gave up half way)']);
  }, 120_000);

  it('a rewrite that is not stable (a second run changes it again) is put back', async () => {
    const dir = project('unstable', { 'src/server.ts': FASTIFY });
    const broken = faultyTransform('unstable', "return file.source + '// again\\n';");
    const result = await fix(dir, { dryRun: false, typeCheck: false, transforms: { 'shutdown-must-close-server': broken } });
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).not.toContain('// again');
    expect(result.reverted).toEqual([{ file: 'src/server.ts', reason: 'a second run would change it again (the rewrite is not stable)' }]);
  }, 120_000);

  it('a rewrite that adds a type error is put back, with the error; without --no-typecheck the run says how long it took', async () => {
    const source = "export function port(): number {\n  return 3000;\n}\n";
    const dir = project('types', {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'preserve', target: 'es2022', types: [] }, include: ['src'] }),
      'src/port.ts': source,
    });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const broken = faultyTransform('types', "return file.source.replace('return 3000', \"return '3000'\");");
    const result = await fix(dir, { dryRun: false, transforms: { 'listen-requires-host': broken } });
    expect(readFileSync(join(dir, 'src/port.ts'), 'utf8')).toBe(source);
    expect(result.reverted).toEqual([{ file: 'src/port.ts', reason: "the rewrite adds a type error (TS2322: Type 'string' is not assignable to type 'number'.)" }]);
    expect(result.typeCheck).toMatch(/^type-checked tsconfig\.json with the project's own TypeScript, before and after, in \d+\.\d s \(--no-typecheck skips it\)$/);
  }, 180_000);

  it('type-checks the sub-project that holds the change (its own tsconfig), writes no build info, and removes the directory it created for a file not kept', async () => {
    const tsconfig = JSON.stringify({ compilerOptions: { strict: true, incremental: true, module: 'preserve', target: 'es2022', types: [] }, include: ['src'] });
    const source = "export const port: number = 3000;\n";
    const dir = project('sub-project', { 'backend/package.json': '{ "name": "backend", "private": true }\n', 'backend/tsconfig.json': tsconfig, 'backend/src/port.ts': source });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const broken = faultyTransform(
      'sub-project',
      "if (!file.path.endsWith('port.ts')) return undefined;\nconst fs = require('node:fs'), path = require('node:path');\nconst created = path.join(path.dirname(file.path), 'lib', 'created.ts');\nfs.mkdirSync(path.dirname(created), { recursive: true });\nfs.writeFileSync(created, 'export const host: number = \"0.0.0.0\";\\n');\nreturn undefined;",
    );
    const result = await fix(dir, { dryRun: false, transforms: { 'listen-requires-host': broken } });
    expect(result.reverted).toEqual([{ file: 'backend/src/lib/created.ts', reason: "the rewrite adds a type error (TS2322: Type 'string' is not assignable to type 'number'.)" }]);
    expect(existsSync(join(dir, 'backend/src/lib'))).toBe(false);
    expect(readFileSync(join(dir, 'backend/src/port.ts'), 'utf8')).toBe(source);
    expect(result.typeCheck).toMatch(/^type-checked backend\/tsconfig\.json with the project's own TypeScript/);
    expect(readdirSync(join(dir, 'backend')).filter((name) => name.endsWith('.tsbuildinfo'))).toEqual([]);
  }, 180_000);

  it('a created module that only repeats an error the project already has (a Prisma client not generated yet) is kept', async () => {
    const tsconfig = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'preserve', target: 'es2022', types: [] }, include: ['src'] });
    const dir = project('inherited-error', { 'tsconfig.json': tsconfig, 'src/db.ts': "import { PrismaClient } from './generated/client';\nexport const db = new PrismaClient();\n" });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const creates = faultyTransform(
      'inherited-error',
      "if (!file.path.endsWith('db.ts')) return undefined;\nconst fs = require('node:fs'), path = require('node:path');\nfs.writeFileSync(path.join(path.dirname(file.path), 'shared.ts'), \"import { PrismaClient } from './generated/client';\\nexport const prisma = new PrismaClient();\\n\", { flag: 'w' });\nreturn undefined;",
    );
    const result = await fix(dir, { dryRun: false, transforms: { 'listen-requires-host': creates } });
    expect(result.reverted).toEqual([]);
    expect(existsSync(join(dir, 'src/shared.ts'))).toBe(true);
  }, 180_000);
});
