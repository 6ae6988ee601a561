import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Linter } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';
import { deployFileConfigs } from '../../src/configs/deploy-files';
import { deployPathsFor } from '../../src/deploy-files/deploy-paths';
import rule from '../../src/rules/no-db-push-script';

/** Small projects on disk: the deploy path from a platform entry to the command, across files. */
const projects: string[] = [];
function project(files: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'deploy-safe-paths-')), 'svc');
  projects.push(dir);
  for (const [name, text] of Object.entries({ 'package.json': '{ "name": "svc" }\n', ...files })) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
afterEach(() => {
  for (const dir of projects.splice(0)) rmSync(join(dir, '..'), { recursive: true, force: true });
});

function findings(dir: string, file: string, code: string): string[] {
  const plugin = { rules: { 'no-db-push-script': rule as never } };
  const configs = deployFileConfigs(plugin as never).map((config) => ({ ...config, rules: { 'deploy-safe/no-db-push-script': 'error' as const } }));
  return new Linter({ configType: 'flat', cwd: dir }).verify(code, configs, { filename: join(dir, file) }).map((message) => `${message.line}:${message.column} ${message.messageId ?? message.message}: ${message.message.split(': it ')[0]}`);
}

const START = '#!/bin/sh\nnpx prisma db push --accept-data-loss\nexec node dist/server.js\n';

describe('deploy paths across files', () => {
  it.each([
    ['railway.json', '{ "deploy": { "startCommand": "bash start.sh" } }\n', 'railway.json deploy.startCommand → bash start.sh'],
    ['Dockerfile', 'FROM node:20\nCOPY . /app\nCMD ["sh", "start.sh"]\n', 'Dockerfile CMD → sh start.sh'],
    ['Dockerfile.prod', 'FROM node:20\nCOPY start.sh /usr/local/bin/\nENTRYPOINT ["/usr/local/bin/start.sh"]\n', 'Dockerfile ENTRYPOINT → /usr/local/bin/start.sh'],
    ['fly.toml', '[deploy]\n  release_command = "./start.sh"\n', 'fly.toml deploy.release_command → ./start.sh'],
    ['app.json', '{ "scripts": { "postdeploy": "sh start.sh" } }\n', 'app.json scripts.postdeploy → sh start.sh'],
  ])('%s reaches start.sh, and the finding says how', (entry, text, path) => {
    const dir = project({ [entry]: text, 'start.sh': START });
    expect(findings(dir, 'start.sh', START)).toEqual([
      `2:1 dbPushOnDeploy: \`prisma db push\` runs in start.sh (run by ${path})`,
      expect.stringMatching(/^2:20 dataLossFlag/),
    ]);
  });

  it('follows npm-run-all, pnpm and yarn runs, and a shell file sourced by another', () => {
    const dir = project({
      Procfile: 'web: yarn start:prod\n',
      'package.json': JSON.stringify({ scripts: { 'start:prod': 'run-s db:*', 'db:migrate': 'pnpm run sh:migrate', 'sh:migrate': 'sh ./scripts/migrate.sh' } }),
      'scripts/migrate.sh': '#!/bin/sh\n. ./scripts/env.sh\n',
      'scripts/env.sh': 'node ./node_modules/prisma/build/index.js db push\n',
    });
    const paths = deployPathsFor(join(dir, 'package.json'))!;
    expect(paths.scripts.get('sh:migrate')).toEqual(['Procfile web', 'yarn start:prod', 'run-s db:*', 'pnpm run sh:migrate']);
    expect(paths.shellFiles.get(join(dir, 'scripts/env.sh'))).toEqual(['Procfile web', 'yarn start:prod', 'run-s db:*', 'pnpm run sh:migrate', 'sh ./scripts/migrate.sh', '. ./scripts/env.sh']);
    expect(findings(dir, 'scripts/env.sh', 'node ./node_modules/prisma/build/index.js db push\n')).toEqual([
      '1:1 dbPushOnDeploy: `prisma db push` runs in env.sh (run by Procfile web → yarn start:prod → run-s db:* → pnpm run sh:migrate → sh ./scripts/migrate.sh → . ./scripts/env.sh)',
    ]);
  });

  it('does not report shell files and scripts no deploy path reaches, flags in them neither', () => {
    const dir = project({
      Procfile: 'web: node dist/server.js\n',
      'package.json': JSON.stringify({ scripts: { 'db:push': 'prisma db push --accept-data-loss', seed: 'prisma migrate reset --force && tsx seed.ts' } }),
      'run.sh': '#!/bin/sh\nDATABASE_URL=postgres://localhost/dev npx prisma db push --force-reset\n',
    });
    expect(findings(dir, 'run.sh', '#!/bin/sh\nDATABASE_URL=postgres://localhost/dev npx prisma db push --force-reset\n')).toEqual([]);
    expect(findings(dir, 'package.json', JSON.stringify({ scripts: { 'db:push': 'prisma db push --accept-data-loss' } }))).toEqual([]);
  });

  it('sees an edit to a file on the path (the cache is keyed by mtime)', () => {
    const dir = project({ 'railway.toml': '[deploy]\nstartCommand = "node dist/server.js"\n', 'start.sh': START });
    expect(deployPathsFor(join(dir, 'start.sh'))!.shellFiles.size).toBe(0);
    writeFileSync(join(dir, 'railway.toml'), '[deploy]\nstartCommand = "sh start.sh"\n');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'railway.toml'), later, later);
    expect([...deployPathsFor(join(dir, 'start.sh'))!.shellFiles.values()]).toEqual([['railway.toml deploy.startCommand', 'sh start.sh']]);
    // A new entry file appears: the directory's mtime changes.
    writeFileSync(join(dir, 'Procfile'), 'release: npm run migrate\n');
    utimesSync(dir, new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
    expect(deployPathsFor(join(dir, 'package.json'))!.scripts.has('migrate')).toBe(false);
  });

  it('reads a project without any platform entry as before: lifecycle scripts and every shell file', () => {
    const dir = project({ 'start.sh': START });
    expect(deployPathsFor(join(dir, 'start.sh'))!.hasEntries).toBe(false);
    expect(findings(dir, 'start.sh', START)).toEqual([expect.stringMatching(/^2:1 dbPushOnDeploy: `prisma db push` runs in start.sh$/), expect.stringMatching(/^2:20 dataLossFlag/)]);
  });

  const SYNC = { scripts: { 'db:sync': 'prisma db push --accept-data-loss && node server.js' } };
  const syncFindings = (dir: string, file: string) => findings(dir, file, JSON.stringify(SYNC));

  it.each([
    ['cd backend && npm run db:sync', 'npm run db:sync'],
    ['npm --prefix backend run db:sync', 'npm --prefix backend run db:sync'],
    ['pnpm -C backend db:sync', 'pnpm -C backend db:sync'],
    ['pnpm --dir=backend run db:sync', 'pnpm --dir=backend run db:sync'],
    ['yarn --cwd backend db:sync', 'yarn --cwd backend db:sync'],
  ])('follows `%s` into the other package', (command, shown) => {
    const dir = project({ 'railway.json': JSON.stringify({ deploy: { startCommand: command } }), 'backend/package.json': JSON.stringify(SYNC) });
    expect(syncFindings(dir, 'backend/package.json')).toEqual([
      `1:24 dbPushOnDeploy: \`prisma db push\` runs in the "db:sync" script (run by railway.json deploy.startCommand → ${shown})`,
      expect.stringMatching(/^1:39 dataLossFlag/),
    ]);
  });

  it('does not take a script of the same name in another package for the one a path runs', () => {
    const dir = project({ 'railway.json': JSON.stringify({ deploy: { startCommand: 'npm run db:sync' } }), 'package.json': JSON.stringify({ scripts: { 'db:sync': 'echo root' } }), 'backend/package.json': JSON.stringify(SYNC) });
    expect(syncFindings(dir, 'backend/package.json')).toEqual([]);
  });

  it.each([
    ['sh scripts/start', 'scripts/start'],
    ['bash ./entrypoint', 'entrypoint'],
  ])('follows a shell file without an extension: `%s`', (command, file) => {
    const dir = project({ Procfile: `web: ${command}\n`, [file]: '#!/bin/sh\nnpm run db:sync\nexec node server.js\n', 'package.json': JSON.stringify(SYNC) });
    expect(syncFindings(dir, 'package.json')).toEqual([
      `1:24 dbPushOnDeploy: \`prisma db push\` runs in the "db:sync" script (run by Procfile web → ${command} → npm run db:sync)`,
      expect.stringMatching(/^1:39 dataLossFlag/),
    ]);
  });

  it("reads a monorepo's Dockerfiles two directories down, in directories that are no package of their own", () => {
    const dir = project({ 'apps/api/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["npm", "run", "db:sync"]\n', 'package.json': JSON.stringify(SYNC) });
    expect(syncFindings(dir, 'package.json')).toEqual([
      '1:24 dbPushOnDeploy: `prisma db push` runs in the "db:sync" script (run by apps/api/Dockerfile CMD → npm run db:sync)',
      expect.stringMatching(/^1:39 dataLossFlag/),
    ]);
    // A package's own Dockerfile is that package's entry, not the root's.
    const other = project({ 'apps/web/Dockerfile': 'FROM node:20\nCMD ["npm", "run", "db:sync"]\n', 'apps/web/package.json': '{ "name": "web" }', 'package.json': JSON.stringify(SYNC) });
    expect(syncFindings(other, 'package.json')).toEqual([]);
  });
});
