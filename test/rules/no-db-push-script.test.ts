import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuleTester, type InvalidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds } from '../../src/rules/no-db-push-script';
import { inDeployFile } from '../helpers/deploy-file-parsers';

const ruleTester = new RuleTester();

const pkg = (scripts: Record<string, string>) => `${JSON.stringify({ name: 'svc', scripts }, null, 2)}\n`;
const MONGO = join(__dirname, '..', 'proof', 'fixtures', 'no-db-push-script', 'mongo', 'package.json');
const FIXTURES = join(__dirname, 'fixtures', 'no-db-push-script');
const fixture = (project: string, file: string) => join(FIXTURES, project, file);
const fromDisk = (project: string, file: string) => readFileSync(fixture(project, file), 'utf8');

ruleTester.run('no-db-push-script', rule, {
  valid: [
    // the failure still stops the chain: `||` inside the `&&`'s right operand, `&&` after `fi`, the migration as an `if` condition's else
    { filename: 'package.json', code: pkg({ start: 'prisma migrate deploy && (echo ok || true) && node server.js' }) },
    { filename: 'package.json', code: pkg({ start: 'if [ -n \"$DATABASE_URL\" ]; then prisma migrate deploy; fi && node server.js' }) },
    { filename: 'package.json', code: pkg({ start: '(prisma migrate deploy && echo migrated) && node server.js' }) },
    // migrate deploy anywhere, on start or in a release step
    { filename: 'package.json', code: pkg({ prestart: 'prisma migrate deploy', start: 'node dist/server.js' }) },
    { filename: 'package.json', code: pkg({ start: 'npx prisma migrate deploy && node dist/server.js' }) },
    // db push / migrate dev in development scripts nothing on deploy reaches
    { filename: 'package.json', code: pkg({ 'db:push': 'prisma db push', dev: 'prisma migrate dev && tsx watch src/server.ts', start: 'node dist/server.js' }) },
    { filename: 'package.json', code: pkg({ 'test:db': 'prisma db push --force-reset --skip-generate', test: 'npm run test:db && vitest' }) },
    // the words inside echo strings and comments
    { filename: 'package.json', code: pkg({ prestart: 'echo "run prisma db push --accept-data-loss by hand"', start: 'node x.js' }) },
    { filename: 'entrypoint.sh', code: '#!/bin/sh\nset -e\n# prisma db push --accept-data-loss\necho "prisma db push"\nnpx prisma migrate deploy\nexec node dist/server.js\n' },
    { filename: 'Dockerfile', code: 'FROM node:20\n# RUN npx prisma db push\nRUN npx prisma generate\nCMD ["sh", "-c", "npx prisma migrate deploy && node dist/server.js"]\n' },
    { filename: 'Procfile', code: 'release: npx prisma migrate deploy\nweb: node dist/server.js\n' },
    { filename: 'railway.json', code: '{ "deploy": { "preDeployCommand": ["npx prisma migrate deploy"], "startCommand": "node dist/server.js" } }\n' },
    { filename: 'fly.toml', code: '[deploy]\n  release_command = "npx prisma migrate deploy"\n' },
    // a compose file for local development
    { filename: 'docker-compose.dev.yml', code: 'services:\n  app:\n    command: sh -c "npx prisma db push && npm run dev"\n' },
    // a failure that still stops the chain
    { filename: 'Procfile', code: 'web: npx prisma migrate deploy || exit 1 && node dist/server.js\n' },
    // MongoDB: Prisma recommends db push there (the schema is read from disk)
    { filename: MONGO, code: pkg({ prestart: 'prisma db push', start: 'node dist/server.js' }) },
    // heredocs whose body is data, not commands: a file written by cat, SQL fed to psql
    { filename: 'entrypoint.sh', code: '#!/bin/sh\nset -e\ncat <<EOF > /usr/local/bin/reset-dev-db\nnpx prisma db push --force-reset\nEOF\nnpx prisma migrate deploy\nexec node dist/server.js\n' },
    { filename: 'entrypoint.sh', code: "#!/bin/sh\npsql \"$DATABASE_URL\" <<-'SQL'\n\tselect 'prisma db push';\n\tSQL\nexec node dist/server.js\n" },
    { filename: 'Dockerfile', code: 'FROM node:20\nRUN cat <<EOF > /app/README\nprisma db push is for development\nEOF\nCMD ["node", "dist/server.js"]\n' },
    // `<<` that is not a heredoc
    { filename: 'entrypoint.sh', code: '#!/bin/sh\nexport SHIFTED=$((1<<4))\nexec npx prisma migrate deploy\n' },
    // scripts nothing on a deploy path runs, flags in them neither: `db:push` and a seed run by hand, a
    // local `run.sh` (the project's deploy entry, railway.toml, reaches neither)
    { filename: 'package.json', code: pkg({ 'db:push': 'prisma db push --accept-data-loss', seed: 'prisma migrate reset --force', start: 'node x.js' }) },
    { filename: fixture('railway-chain', 'package.json'), code: fromDisk('railway-chain', 'package.json') },
    { filename: fixture('railway-chain', 'scripts/run.sh'), code: fromDisk('railway-chain', 'scripts/run.sh') },
    // other tools' `db push`
    { filename: 'package.json', code: pkg({ prestart: 'drizzle-kit push && supabase db push', start: 'node x.js' }) },
    // Dockerfile lines that are not instructions: a `run` line in a heredoc body that is data, a `cmd`
    // word on a continuation line, comment lines inside a continued RUN
    { filename: 'Dockerfile', code: 'FROM node:20\nRUN cat <<EOF > /app/notes\nrun npx prisma db push by hand\nEOF\nCMD ["node", "dist/server.js"]\n' },
    { filename: 'Dockerfile', code: 'FROM node:20\nRUN echo building \\\n  cmd npx prisma db push\nCMD ["node", "dist/server.js"]\n' },
    { filename: 'Dockerfile', code: 'FROM node:20\nRUN npm ci \\\n  # && npx prisma db push \\\n  && npm run build\n' },
    // the words inside a string next to a `$( )`: only what the substitution runs is a command
    { filename: 'package.json', code: pkg({ prestart: 'echo "$(date) prisma db push is not run here"', start: 'node x.js' }) },
    // the CLI by path, with a migration that is safe
    { filename: 'package.json', code: pkg({ prestart: 'node ./node_modules/prisma/build/index.js migrate deploy', start: 'node x.js' }) },
    // not valid shell: the platform runs none of it (its syntax error fails the deploy at once)
    { filename: 'package.json', code: pkg({ build: 'prisma generate && (prisma db push || true && next build' }) },
  ].map(inDeployFile),
  invalid: ([
    // seed 000
    {
      filename: 'package.json',
      code: pkg({ prestart: 'prisma db push --accept-data-loss || true', start: 'node dist/server.js' }),
      errors: [
        { messageId: 'dbPushOnDeploy', data: { where: 'the "prestart" script' }, line: 4, column: 18, endLine: 4, endColumn: 51 },
        { messageId: 'dataLossFlag', data: { flag: '--accept-data-loss' }, line: 4, column: 33, endColumn: 51 },
        { messageId: 'hiddenFailure', data: { hider: '|| true', command: 'prisma db push' }, line: 4, column: 52, endColumn: 59 },
      ],
    },
    // reached from start through npm run / run-s, with runners
    {
      filename: 'package.json',
      code: pkg({ start: 'npm run migrate && node dist/server.js', migrate: 'pnpm exec prisma db push --skip-generate' }),
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'the "migrate" script (run by "start")' }, line: 5, column: 17 }],
    },
    {
      filename: 'package.json',
      code: pkg({ build: 'run-s build:*', 'build:db': 'bunx prisma db push', 'build:ts': 'tsc' }),
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'the "build:db" script (run by "build")' } }],
    },
    {
      filename: 'package.json',
      code: pkg({ 'start:prod': 'npx --yes prisma@5 db push && node dist/main' }),
      errors: [{ messageId: 'dbPushOnDeploy', line: 4, column: 20 }],
    },
    // a JSON escape before the command: the column is still the command's
    {
      filename: 'package.json',
      code: '{\n  "scripts": {\n    "postinstall": "echo \\"hi\\" && yarn prisma db push"\n  }\n}\n',
      errors: [{ messageId: 'dbPushOnDeploy', line: 3, column: 36, endColumn: 55 }],
    },
    // data-loss flags where a deploy runs them
    {
      filename: 'package.json',
      code: pkg({ 'build:db': 'prisma migrate deploy --force-reset', build: 'npm run build:db && tsc' }),
      errors: [{ messageId: 'dataLossFlag', data: { flag: '--force-reset' }, line: 4, column: 40 }],
    },
    // followed across files: railway.toml → npm run → a shell file; Procfile → an alias of an alias
    {
      filename: fixture('railway-chain', 'scripts/start.sh'),
      code: fromDisk('railway-chain', 'scripts/start.sh'),
      errors: [
        {
          messageId: 'dbPushOnDeploy',
          data: { where: 'start.sh (run by railway.toml deploy.startCommand → npm run start:with-migration → sh scripts/start.sh)' },
          line: 2,
          column: 1,
          endColumn: 38,
        },
        { messageId: 'dataLossFlag', line: 2, column: 20 },
      ],
    },
    {
      filename: fixture('procfile-alias', 'package.json'),
      code: fromDisk('procfile-alias', 'package.json'),
      errors: [
        {
          messageId: 'dbPushOnDeploy',
          data: { where: 'the "db:push" script (run by Procfile web → npm run db:migrate:deploy → npm run db:push)' },
          line: 5,
          column: 17,
          endColumn: 31,
        },
      ],
    },
    // a migration whose failure is hidden
    {
      filename: 'package.json',
      code: pkg({ start: 'prisma migrate deploy; node dist/server.js' }),
      errors: [{ messageId: 'hiddenFailure', data: { hider: '; node dist/server.js', command: 'prisma migrate deploy' }, line: 4, column: 36, endColumn: 57 }],
    },
    {
      filename: 'package.json',
      code: pkg({ prestart: 'prisma migrate dev' }),
      errors: [{ messageId: 'devMigrationOnDeploy', data: { command: 'prisma migrate dev', where: 'the "prestart" script' } }],
    },
    // Dockerfile: shell form with continuation, exec form with sh -c
    {
      filename: 'Dockerfile',
      code: 'FROM node:20\nRUN npm ci && \\\n    npx prisma db push --skip-generate\nCMD ["sh", "-c", "npx prisma migrate deploy || true; node dist/server.js"]\n',
      errors: [
        { messageId: 'dbPushOnDeploy', data: { where: 'Dockerfile RUN' }, line: 3, column: 5, endColumn: 39 },
        { messageId: 'hiddenFailure', data: { hider: '|| true', command: 'prisma migrate deploy' }, line: 4, column: 45, endColumn: 52 },
      ],
    },
    {
      filename: 'Dockerfile',
      code: 'FROM node:20\nENTRYPOINT ["npx", "prisma", "db", "push"]\n',
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'Dockerfile ENTRYPOINT' }, line: 2, column: 13, endColumn: 42 }],
    },
    {
      filename: 'Procfile',
      code: 'web: npx prisma db push && node dist/server.js\n',
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'Procfile web' }, line: 1, column: 6, endColumn: 24 }],
    },
    {
      filename: 'scripts/entrypoint.sh',
      code: '#!/bin/sh\nset -e\nnpx prisma db push --accept-data-loss\nexec node server.js\n',
      errors: [
        { messageId: 'dbPushOnDeploy', data: { where: 'entrypoint.sh' }, line: 3, column: 1 },
        { messageId: 'dataLossFlag', line: 3, column: 20 },
      ],
    },
    // heredocs a shell runs: Dockerfile `RUN <<EOF` (syntax 1.4+), `bash <<EOF` in a script
    {
      filename: 'Dockerfile',
      code: 'FROM node:20\nRUN <<EOF\nset -e\nnpx prisma db push --accept-data-loss\nEOF\nCMD ["node", "dist/server.js"]\n',
      errors: [
        { messageId: 'dbPushOnDeploy', data: { where: 'Dockerfile RUN' }, line: 4, column: 1, endColumn: 38 },
        { messageId: 'dataLossFlag', line: 4, column: 20 },
      ],
    },
    {
      filename: 'start.sh',
      code: '#!/bin/sh\nbash -e <<-"SCRIPT"\n\tnpx prisma db push || true\n\tSCRIPT\nexec node dist/server.js\n',
      errors: [
        { messageId: 'dbPushOnDeploy', data: { where: 'start.sh' }, line: 3, column: 2, endColumn: 20 },
        { messageId: 'hiddenFailure', data: { hider: '|| true', command: 'prisma db push' }, line: 3, column: 21 },
      ],
    },
    {
      filename: 'railway.json',
      code: '{\n  "deploy": {\n    "startCommand": "npx prisma db push && node dist/server.js"\n  }\n}\n',
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'railway.json deploy.startCommand' }, line: 3, column: 22, endColumn: 40 }],
    },
    {
      filename: 'vercel.json',
      code: '{ "buildCommand": "prisma generate && prisma db push && next build" }\n',
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'vercel.json buildCommand' }, line: 1, column: 39 }],
    },
    {
      filename: 'render.yaml',
      code: 'services:\n  - type: web\n    startCommand: npx prisma db push && node dist/server.js\n',
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'render.yaml services.0.startCommand' }, line: 3, column: 19, endColumn: 37 }],
    },
    {
      filename: 'docker-compose.yml',
      code: 'services:\n  app:\n    command: ["sh", "-c", "npx prisma db push && node x"]\n',
      errors: [{ messageId: 'dbPushOnDeploy', line: 3, column: 28, endColumn: 46 }],
    },
    {
      filename: 'fly.toml',
      code: '[deploy]\n  release_command = "npx prisma db push"\n',
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'fly.toml deploy.release_command' }, line: 2, column: 22, endColumn: 40 }],
    },
    {
      filename: 'railway.toml',
      code: '[deploy]\nstartCommand = "prisma db push --force-reset && node x"\n',
      errors: [{ messageId: 'dbPushOnDeploy', line: 2, column: 17 }, { messageId: 'dataLossFlag', data: { flag: '--force-reset' }, line: 2, column: 32 }],
    },
    {
      filename: 'nixpacks.toml',
      code: '[phases.build]\ncmds = ["npm run build", "npx prisma db push"]\n',
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'nixpacks.toml phases.build.cmds' }, line: 2, column: 27 }],
    },
    // inside if/then/fi, case, a group, a function, $( ): a real shell parser sees them
    {
      filename: 'package.json',
      code: pkg({ deploy: 'if [ "$NODE_ENV" = production ]; then prisma db push; fi' }),
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'the "deploy" script' }, line: 4, column: 56, endColumn: 70 }],
    },
    {
      filename: 'start.sh',
      code: '#!/bin/sh\ncase "$1" in\n  migrate) npx prisma db push ;;\nesac\nmigrate() { npx prisma migrate dev; }\nexport URL="$(npx prisma db push --force-reset)"\n',
      errors: [
        { messageId: 'dbPushOnDeploy', line: 3, column: 12, endColumn: 30 },
        { messageId: 'devMigrationOnDeploy', line: 5, column: 13, endColumn: 35 },
        { messageId: 'dbPushOnDeploy', line: 6, column: 15, endColumn: 47 },
        { messageId: 'dataLossFlag', data: { flag: '--force-reset' }, line: 6, column: 34 },
      ],
    },
    {
      filename: 'package.json',
      code: pkg({ build: '{ prisma generate && prisma db push; } && next build' }),
      errors: [{ messageId: 'dbPushOnDeploy', line: 4, column: 36, endColumn: 50 }],
    },
    // a failure hidden around a subshell: `(migrate || true)`, `(migrate); node`
    {
      filename: 'package.json',
      code: pkg({ start: '(npx prisma migrate deploy || echo failed) && node server.js' }),
      errors: [{ messageId: 'hiddenFailure', data: { hider: '|| echo failed', command: 'prisma migrate deploy' }, line: 4, column: 42, endColumn: 56 }],
    },
    {
      filename: 'package.json',
      code: pkg({ start: '(npx prisma migrate deploy); node server.js' }),
      errors: [{ messageId: 'hiddenFailure', data: { hider: '; node server.js', command: 'prisma migrate deploy' } }],
    },
    // a failure hidden after the compound or `&&` chain the migration fails: the `||` after `)` / `fi` applies to it
    {
      filename: 'package.json',
      code: pkg({ start: '(prisma migrate deploy && echo migrated) || true && node server.js' }),
      errors: [{ messageId: 'hiddenFailure', data: { hider: '|| true', command: 'prisma migrate deploy' }, line: 4, column: 56, endColumn: 63 }],
    },
    {
      filename: 'package.json',
      code: pkg({ release: 'if [ -n \"$DATABASE_URL\" ]; then prisma migrate deploy; fi || true' }),
      errors: [{ messageId: 'hiddenFailure', data: { hider: '|| true', command: 'prisma migrate deploy' }, line: 4, column: 77, endColumn: 84 }],
    },
    {
      filename: 'package.json',
      code: pkg({ release: 'if [ \"$A\" ]; then x; elif [ \"$B\" ]; then prisma migrate deploy; else y; fi; node server.js' }),
      errors: [{ messageId: 'hiddenFailure', data: { hider: '; node server.js', command: 'prisma migrate deploy' } }],
    },
    {
      filename: 'Procfile',
      code: 'release: npx prisma migrate deploy && echo migrated || echo skipped\n',
      errors: [{ messageId: 'hiddenFailure', data: { hider: '|| echo skipped', command: 'prisma migrate deploy' }, line: 1, column: 53 }],
    },
    // the CLI by path: no "prisma db push" text at all
    {
      filename: 'package.json',
      code: pkg({ prestart: 'node ./node_modules/prisma/build/index.js db push' }),
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'the "prestart" script' }, line: 4, column: 18, endColumn: 67 }],
    },
    // Dockerfile: the escape directive's continuation, a comment line inside a continued RUN
    {
      filename: 'Dockerfile',
      code: '# escape=`\nFROM node:20\nRUN npm ci && `\n    npx prisma db push\n',
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'Dockerfile RUN' }, line: 4, column: 5, endColumn: 23 }],
    },
    {
      filename: 'Dockerfile',
      code: 'FROM node:20\nRUN npm ci \\\n  # generate the client first\n  && npx prisma db push\n',
      errors: [{ messageId: 'dbPushOnDeploy', line: 4, column: 6, endColumn: 24 }],
    },
    {
      filename: 'Dockerfile.prod',
      code: 'FROM node:20\nCMD npx prisma db push && node dist/server.js\n',
      errors: [{ messageId: 'dbPushOnDeploy', data: { where: 'Dockerfile CMD' }, line: 2, column: 5, endColumn: 23 }],
    },
  ] satisfies Omit<InvalidTestCase<MessageIds, []>, 'languageOptions'>[]).map(inDeployFile),
});
