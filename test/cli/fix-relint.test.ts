/**
 * `fix` lints the whole project once, then lints again only the files a rewrite can have changed the
 * findings of (src/cli/lint-dependencies.ts). What it reports after the fix must be exactly what a
 * new `check` of the fixed project reports.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesToRelint } from '../../src/cli/lint-dependencies';
import { scratchDirectory } from '../helpers/scratch';

const root = join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fix } = require(join(root, 'dist', 'src', 'cli', 'fix')) as typeof import('../../src/cli/fix');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { check } = require(join(root, 'dist', 'src', 'cli', 'check')) as typeof import('../../src/cli/check');

describe('what fix reports after the fix', () => {
  it('is what a new check of the fixed example reports', async () => {
    const dir = join(scratchDirectory('deploy-safe-fix-relint-'), 'example');
    cpSync(join(root, 'example'), dir, { recursive: true });
    const result = await fix(dir, { dryRun: false, typeCheck: false });
    expect(result.outcomes.some((outcome) => outcome.changed > 0)).toBe(true);
    expect(result.after).toEqual(await check(dir));
  }, 120_000);
});

describe('which files fix lints again after a rewrite', () => {
  const linted = ['Dockerfile', 'package.json', 'src/db.ts', 'src/routes/users.ts', 'src/server.ts'];
  const texts: Record<string, string> = {
    'src/db.ts': "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n",
    'src/routes/users.ts': "import { prisma } from '../db';\n",
    'src/server.ts': "import express from 'express';\n",
  };
  const manifest = (scripts: object, dependencies: object = { express: '^5.0.0' }): string => JSON.stringify({ name: 'svc', scripts, dependencies });
  const textOf = (before: Record<string, string>, now: Record<string, string>) => (file: string, when: 'before' | 'now') => (when === 'before' ? before : now)[file] ?? texts[file];

  it('nothing, when nothing was written', () => {
    expect(filesToRelint([], linted, textOf({}, {}))).toEqual([]);
  });

  it('a rewritten module: that module and the deploy files (they read the Vite config, server.js)', () => {
    expect(filesToRelint(['src/server.ts'], linted, textOf({}, {}))).toEqual(['Dockerfile', 'package.json', 'src/server.ts']);
  });

  it('a module that names PrismaClient, before or after: the other modules that name it too (which module exports the client)', () => {
    const client = "import { PrismaClient } from '@prisma/client';\nexport default new PrismaClient();\n";
    expect(filesToRelint(['src/lib/prisma.ts'], linted, textOf({}, { 'src/lib/prisma.ts': client }))).toEqual(['Dockerfile', 'package.json', 'src/db.ts', 'src/lib/prisma.ts']);
    expect(filesToRelint(['src/server.ts'], linted, textOf({ 'src/server.ts': client }, {}))).toEqual(['Dockerfile', 'package.json', 'src/db.ts', 'src/server.ts']);
  });

  it('package.json scripts rewritten: the deploy files only (code reads only its dependencies)', () => {
    const before = { 'package.json': manifest({ start: 'prisma db push && node server.js' }) };
    const now = { 'package.json': manifest({ start: 'node server.js' }) };
    expect(filesToRelint(['package.json'], linted, textOf(before, now))).toEqual(['Dockerfile', 'package.json']);
  });

  it('package.json dependencies (or another field the code rules read) changed, or a package.json that does not parse: everything', () => {
    const before = { 'package.json': manifest({ start: 'node server.js' }) };
    expect(filesToRelint(['package.json'], linted, textOf(before, { 'package.json': manifest({ start: 'node server.js' }, { fastify: '^5.0.0' }) }))).toBe('all');
    const withBin = JSON.stringify({ ...(JSON.parse(before['package.json']) as object), bin: 'cli.js' });
    expect(filesToRelint(['package.json'], linted, textOf(before, { 'package.json': withBin }))).toBe('all');
    expect(filesToRelint(['package.json'], linted, textOf(before, { 'package.json': '{' }))).toBe('all');
  });

  it('a file of a kind no rule lints (a Prisma schema): everything', () => {
    expect(filesToRelint(['prisma/schema.prisma'], linted, textOf({}, {}))).toBe('all');
  });
});
