import { join } from 'node:path';
import { RuleTester, type InvalidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds } from '../../src/rules/sigterm-must-reach-node';
import { inDeployFile } from '../helpers/deploy-file-parsers';

const ruleTester = new RuleTester();
const fixtures = join(__dirname, 'fixtures', 'sigterm-must-reach-node');
/** A Dockerfile or compose file beside one of the fixture projects' package.json. */
const PNPM_UNPINNED =
  "pnpm becomes the container's main process and gets the platform's SIGTERM: pnpm 9 and 10 pass it on but exit within 0.1 s without waiting for node, killing it mid-request; pnpm 11 and 12 wait for node (measured), and nothing pins the version this container runs (no `pnpm@` version where pnpm is installed, no `packageManager` field that applies). With node itself as the main process its handler runs whatever the version.";
const at = (project: string, file = 'Dockerfile'): string => join(fixtures, project, file);

/** What each package manager does with SIGTERM as PID 1 (measured, test/deploy-files/MEASUREMENTS.md). */
const NPM =
  "npm becomes the container's main process and gets the platform's SIGTERM, but Node's shutdown handler never runs: npm stops its script's shell and exits within a second (measured, npm 11), killing node mid-request, so requests in flight fail and connections are not closed.";
const YARN1 =
  "yarn becomes the container's main process and gets the platform's SIGTERM, but Node's shutdown handler never runs: yarn 1 (the one node images ship) exits at once (measured, 1.22: in 0.02 s), killing node mid-request, so requests in flight fail and connections are not closed.";
const SHELL =
  "the shell that runs it without `exec` stays the container's main process and ignores SIGTERM (dash, as in Debian-based node images), so nothing reaches the package manager or node: Node's shutdown handler never runs and the platform kills the container at its deadline with requests in flight.";

const PNPM_OLD = (major: number): string =>
  `pnpm ${major} becomes the container's main process and gets the platform's SIGTERM: it passes it on to node but exits within 0.1 s without waiting for it (measured, pnpm 9.15 and 10.34), and the container stops with its main process, killing node mid-request, so requests in flight fail and connections are not closed.`;
const SAFE_REGARDLESS = 'With node itself as the main process its handler runs whatever the version.';

const invalid: (InvalidTestCase<MessageIds, []> & { filename: string })[] = [
    {
      name: 'CMD npm start: resolved to the start script, in exec form',
      filename: at('app'),
      code: 'FROM node:20-slim\nWORKDIR /app\nCMD ["npm", "start"]\n',
      output: 'FROM node:20-slim\nWORKDIR /app\nCMD ["node", "dist/server.js"]\n',
      errors: [
        {
          messageId: 'packageManager',
          line: 3,
          column: 6,
          endColumn: 20,
          data: { where: 'Dockerfile CMD', command: 'npm start', behaviour: NPM, remedy: 'Run what the script runs, in exec form: CMD ["node", "dist/server.js"].' },
        },
      ],
    },
    {
      name: 'npm run start:prod, with its options',
      filename: at('app'),
      code: 'FROM node:20\nCMD ["npm", "run", "start:prod"]\n',
      output: 'FROM node:20\nCMD ["node", "--enable-source-maps", "dist/server.js"]\n',
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'npm run start:prod', behaviour: NPM, remedy: 'Run what the script runs, in exec form: CMD ["node", "--enable-source-maps", "dist/server.js"].' } }],
    },
    {
      name: 'yarn and pnpm run scripts the same way',
      filename: at('app'),
      code: 'FROM node:20\nENTRYPOINT ["yarn", "start"]\n',
      output: 'FROM node:20\nENTRYPOINT ["node", "dist/server.js"]\n',
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile ENTRYPOINT', command: 'yarn start', behaviour: YARN1, remedy: 'Run what the script runs, in exec form: ENTRYPOINT ["node", "dist/server.js"].' } }],
    },
    {
      name: 'a script that runs another script',
      filename: at('nested-scripts'),
      code: 'FROM node:20\nCMD ["pnpm", "start"]\n',
      output: 'FROM node:20\nCMD ["node", "dist/main.js"]\n',
      errors: [{ messageId: 'packageManager' }],
    },
    {
      name: "npm start without a start script runs npm's default, node server.js",
      filename: at('default-start'),
      code: 'FROM node:20\nCMD ["npm", "start"]\n',
      output: 'FROM node:20\nCMD ["node", "server.js"]\n',
      errors: [{ messageId: 'packageManager' }],
    },
    {
      name: 'a start script with several commands: reported with the reason, not rewritten',
      filename: at('chained'),
      code: 'FROM node:20\nCMD ["npm", "start"]\n',
      output: null,
      errors: [
        {
          messageId: 'packageManager',
          data: {
            where: 'Dockerfile CMD',
            command: 'npm start',
            behaviour: NPM,
            remedy: 'Run `node` directly in exec form (the "start" script runs `prisma migrate deploy && node dist/server.js`, shell syntax that exec form cannot hold).',
          },
        },
      ],
    },
    {
      name: 'arguments after the script name go to the script, as npm passes them',
      filename: at('app'),
      code: 'FROM node:20\nENTRYPOINT ["npm", "start", "--", "services.yml"]\n',
      output: 'FROM node:20\nENTRYPOINT ["node", "dist/server.js", "services.yml"]\n',
      errors: [{ messageId: 'packageManager' }],
    },
    {
      name: "the image's package.json is the one its COPY puts into the working directory (server/), not the one beside the Dockerfile",
      filename: at('copies-subfolder'),
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY server/package.json server/package-lock.json ./\nRUN npm ci\nCOPY server/src ./src\nCMD ["npm", "run", "start"]\n',
      output: 'FROM node:20-slim\nWORKDIR /app\nCOPY server/package.json server/package-lock.json ./\nRUN npm ci\nCOPY server/src ./src\nCMD ["node", "dist/server.js"]\n',
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'npm run start', behaviour: NPM, remedy: 'Run what the script runs, in exec form: CMD ["node", "dist/server.js"].' } }],
    },
    {
      name: 'a whole folder copied into the working directory, and the script it lacks named with its path',
      filename: at('copies-subfolder'),
      code: 'FROM node:20-slim\nWORKDIR /srv\nCOPY server/ .\nCMD ["npm", "run", "serve"]\n',
      output: null,
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'npm run serve', behaviour: NPM, remedy: 'Run `node` directly in exec form (server/package.json has no "serve" script).' } }],
    },
    {
      name: "copied from a build stage (--from): that stage's working directory held server/'s package.json",
      filename: at('copies-subfolder'),
      code: 'FROM node:20-slim AS build\nWORKDIR /app\nCOPY server/ .\nRUN npm ci && npm run build\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app ./\nCMD ["npm", "start"]\n',
      output: 'FROM node:20-slim AS build\nWORKDIR /app\nCOPY server/ .\nRUN npm ci && npm run build\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app ./\nCMD ["node", "dist/server.js"]\n',
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'npm start', behaviour: NPM, remedy: 'Run what the script runs, in exec form: CMD ["node", "dist/server.js"].' } }],
    },
    {
      name: 'a stage built FROM an earlier one keeps its files; a package.json copied before the WORKDIR that names its folder counts',
      filename: at('copies-subfolder'),
      code: 'FROM node:20-alpine AS base\nCOPY server/package.json /srv/\nFROM base\nWORKDIR /srv\nCMD ["npm", "start"]\n',
      output: 'FROM node:20-alpine AS base\nCOPY server/package.json /srv/\nFROM base\nWORKDIR /srv\nCMD ["node", "dist/server.js"]\n',
      errors: [{ messageId: 'packageManager' }],
    },
    {
      name: 'the build context itself copied into the working directory: the package.json beside the Dockerfile',
      filename: at('copies-subfolder'),
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n',
      output: null,
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'npm start', behaviour: NPM, remedy: 'Run `node` directly in exec form (package.json has no "start" script).' } }],
    },
    {
      name: 'options before the script name: another package.json, not rewritten',
      filename: at('app'),
      code: 'FROM node:20\nCMD ["npm", "--prefix", "api", "start"]\n',
      output: null,
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'npm --prefix api start', behaviour: NPM, remedy: 'Run `node` directly in exec form (`npm --prefix api start` does not name a script this rule can read).' } }],
    },
    {
      name: 'a prestart script would be skipped: not rewritten',
      filename: at('prestart'),
      code: 'FROM node:20\nCMD ["npm", "start"]\n',
      output: null,
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'npm start', behaviour: NPM, remedy: 'Run `node` directly in exec form ("prestart"/"poststart" run around the "start" script: move what they do to the image build or the platform\'s release step first).' } }],
    },
    {
      name: 'a script that runs something other than node: not rewritten',
      filename: at('app'),
      code: 'FROM node:20\nCMD ["npm", "run", "serve"]\n',
      output: null,
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'npm run serve', behaviour: NPM, remedy: 'Run `node` directly in exec form (the "serve" script runs `next start`, not `node`: write the `node …` command it starts).' } }],
    },
    {
      name: 'shell form: one plain command becomes exec form',
      filename: at('app'),
      code: 'FROM node:20\nCMD node dist/server.js\n',
      output: 'FROM node:20\nCMD ["node", "dist/server.js"]\n',
      errors: [{ messageId: 'shellForm', line: 2, column: 5, data: { where: 'Dockerfile CMD', command: 'node dist/server.js', remedy: 'Use exec form: `CMD ["node", "dist/server.js"]`.' } }],
    },
    {
      name: 'shell form with a chain or a variable: exec the last command',
      filename: at('app'),
      code: 'FROM node:20\nCMD npx prisma migrate deploy && node dist/server.js --port $PORT\n',
      output: 'FROM node:20\nCMD npx prisma migrate deploy && exec node dist/server.js --port $PORT\n',
      errors: [{ messageId: 'shellForm', column: 34, data: { where: 'Dockerfile CMD', command: 'node dist/server.js --port $PORT', remedy: 'Write `exec node dist/server.js --port $PORT`, so that node replaces the shell as PID 1.' } }],
    },
    {
      name: 'shell form running npm start',
      filename: at('app'),
      code: 'FROM node:20\nCMD npm start\n',
      output: 'FROM node:20\nCMD ["node", "dist/server.js"]\n',
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'npm start', behaviour: SHELL, remedy: 'Run what the script runs: CMD ["node", "dist/server.js"].' } }],
    },
    {
      name: 'sh -c without exec',
      filename: at('app'),
      code: 'FROM node:20\nCMD ["sh", "-c", "npx prisma migrate deploy && node dist/server.js"]\n',
      output: 'FROM node:20\nCMD ["sh", "-c", "npx prisma migrate deploy && exec node dist/server.js"]\n',
      errors: [{ messageId: 'shellWithoutExec', data: { where: 'Dockerfile CMD', command: 'node dist/server.js', remedy: 'Write `exec node dist/server.js`.' } }],
    },
    {
      name: 'an ENTRYPOINT script that execs its arguments still runs npm as PID 1',
      filename: at('app'),
      code: 'FROM node:20\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["npm", "start"]\n',
      output: 'FROM node:20\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node", "dist/server.js"]\n',
      errors: [{ messageId: 'packageManager', line: 3 }],
    },
    {
      name: 'compose: command npm start, as a string and as a list',
      filename: at('app', 'docker-compose.yml'),
      code: 'services:\n  web:\n    build: .\n    command: npm start\n  worker:\n    build: .\n    command: ["npm", "run", "start:prod"]\n',
      output: 'services:\n  web:\n    build: .\n    command: node dist/server.js\n  worker:\n    build: .\n    command: ["node", "--enable-source-maps", "dist/server.js"]\n',
      errors: [
        { messageId: 'packageManager', line: 4, data: { where: 'docker-compose.yml services.web.command', command: 'npm start', behaviour: NPM, remedy: 'Run what the script runs, in exec form: `node dist/server.js`.' } },
        { messageId: 'packageManager', line: 7 },
      ],
    },
    {
      name: 'compose: sh -c without exec',
      filename: at('app', 'compose.yaml'),
      code: 'services:\n  api:\n    image: api\n    command: sh -c "npx prisma migrate deploy && node dist/server.js"\n',
      output: 'services:\n  api:\n    image: api\n    command: sh -c "npx prisma migrate deploy && exec node dist/server.js"\n',
      errors: [{ messageId: 'shellWithoutExec', line: 4 }],
    },
    {
      name: 'a start script the Dockerfile runs, whose last command is not exec',
      filename: at('script-project', 'docker/start.sh'),
      code: '#!/bin/sh\nset -e\nnpx prisma migrate deploy\nnode dist/server.js\n',
      output: '#!/bin/sh\nset -e\nnpx prisma migrate deploy\nexec node dist/server.js\n',
      errors: [{ messageId: 'shellWithoutExec', line: 4, column: 1, data: { where: "start.sh (the CMD of Dockerfile)", command: 'node dist/server.js', remedy: 'Write `exec node dist/server.js`.' } }],
    },
    {
      name: 'a start script whose last command sets variables: exec goes after them (documenso docker/start.sh)',
      filename: at('script-project', 'docker/start.sh'),
      code: '#!/bin/sh\nnpx prisma migrate deploy\nHOSTNAME=0.0.0.0 PORT=8080 node build/server/main.js\n',
      output: '#!/bin/sh\nnpx prisma migrate deploy\nHOSTNAME=0.0.0.0 PORT=8080 exec node build/server/main.js\n',
      errors: [{ messageId: 'shellWithoutExec', line: 3, data: { where: 'start.sh (the CMD of Dockerfile)', command: 'HOSTNAME=0.0.0.0 PORT=8080 node build/server/main.js', remedy: 'Write `HOSTNAME=0.0.0.0 PORT=8080 exec node build/server/main.js`.' } }],
    },
    {
      name: 'a start script ending in npm start after a variable: the variable is kept',
      filename: at('script-project', 'docker/start.sh'),
      code: '#!/bin/sh\nNODE_ENV=production npm start\n',
      output: '#!/bin/sh\nNODE_ENV=production exec node dist/server.js\n',
      errors: [{ messageId: 'packageManager', line: 2 }],
    },
    {
      name: 'sh -c whose last command sets a variable',
      filename: at('app'),
      code: 'FROM node:20\nCMD ["sh", "-c", "npx prisma migrate deploy && PORT=8080 node dist/server.js"]\n',
      output: 'FROM node:20\nCMD ["sh", "-c", "npx prisma migrate deploy && PORT=8080 exec node dist/server.js"]\n',
      errors: [{ messageId: 'shellWithoutExec', data: { where: 'Dockerfile CMD', command: 'PORT=8080 node dist/server.js', remedy: 'Write `PORT=8080 exec node dist/server.js`.' } }],
    },
    {
      name: 'Alpine: busybox execs the last command of -c, but not one inside a group, and not npm (which then is PID 1)',
      filename: at('app'),
      code: 'FROM node:20-alpine\nCMD ["sh", "-c", "npx prisma migrate deploy && { node dist/server.js; }"]\n',
      output: 'FROM node:20-alpine\nCMD ["sh", "-c", "npx prisma migrate deploy && { exec node dist/server.js; }"]\n',
      errors: [{ messageId: 'shellWithoutExec' }],
    },
    {
      name: 'Debian: dash does not exec the last command of -c (the same line as on Alpine is reported)',
      filename: at('app'),
      code: 'FROM node:20-slim\nCMD npx prisma migrate deploy && node dist/server.js\n',
      output: 'FROM node:20-slim\nCMD npx prisma migrate deploy && exec node dist/server.js\n',
      errors: [{ messageId: 'shellForm' }],
    },
    {
      name: 'compose: the same command over a Debian stage without an init is reported',
      filename: at('compose-images', 'docker-compose.yml'),
      code: 'services:\n  api:\n    build:\n      context: .\n      target: plain\n    command: ["sh", "-c", "npx prisma migrate deploy && node server.js"]\n',
      output: 'services:\n  api:\n    build:\n      context: .\n      target: plain\n    command: ["sh", "-c", "npx prisma migrate deploy && exec node server.js"]\n',
      errors: [{ messageId: 'shellWithoutExec' }],
    },
    {
      name: 'compose: its own entrypoint replaces the image\'s tini',
      filename: at('compose-images', 'docker-compose.yml'),
      code: 'services:\n  aio:\n    build:\n      context: .\n      target: aio\n    entrypoint: ["npm", "start"]\n',
      output: 'services:\n  aio:\n    build:\n      context: .\n      target: aio\n    entrypoint: ["node", "server.js"]\n',
      errors: [{ messageId: 'packageManager' }],
    },
    {
      name: 'a start script ending in npm start',
      filename: at('script-project', 'docker/start.sh'),
      code: '#!/bin/sh\nnpx prisma migrate deploy\nnpm start\n',
      output: '#!/bin/sh\nnpx prisma migrate deploy\nexec node dist/server.js\n',
      errors: [{ messageId: 'packageManager', line: 3, data: { where: "start.sh (the CMD of Dockerfile)", command: 'npm start', behaviour: SHELL, remedy: 'End the script with what the script runs: `exec node dist/server.js`.' } }],
    },
    {
      name: 'pnpm 9 and 10 (packageManager, read from the monorepo root): they pass SIGTERM on but exit without waiting for node',
      filename: at('monorepo', 'apps/api/Dockerfile'),
      code: 'FROM node:20\nCMD ["pnpm", "start"]\n',
      output: 'FROM node:20\nCMD ["node", "dist/main.js"]\n',
      errors: [
        {
          messageId: 'packageManager',
          data: {
            where: 'Dockerfile CMD',
            command: 'pnpm start',
            behaviour: PNPM_OLD(9),
            remedy: 'Run what the script runs, in exec form: CMD ["node", "dist/main.js"].',
          },
        },
      ],
    },
    {
      name: 'a pnpm version pinned in the Dockerfile wins over packageManager',
      filename: at('pnpm11'),
      code: 'FROM node:20\nRUN npm i -g pnpm@10.2.0\nCMD ["pnpm", "start"]\n',
      output: 'FROM node:20\nRUN npm i -g pnpm@10.2.0\nCMD ["node", "dist/server.js"]\n',
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'pnpm start', behaviour: PNPM_OLD(10), remedy: 'Run what the script runs, in exec form: CMD ["node", "dist/server.js"].' } }],
    },
    {
      name: 'pnpm with no version written: both measured behaviours, and why exec form is safe with either',
      filename: at('app'),
      code: 'FROM node:20\nRUN npm i -g pnpm\nCMD ["pnpm", "start"]\n',
      output: 'FROM node:20\nRUN npm i -g pnpm\nCMD ["node", "dist/server.js"]\n',
      errors: [
        {
          messageId: 'packageManager',
          data: {
            where: 'Dockerfile CMD',
            command: 'pnpm start',
            behaviour: PNPM_UNPINNED,
            remedy: 'Run what the script runs, in exec form: CMD ["node", "dist/server.js"].',
          },
        },
      ],
    },
    {
      name: 'pnpm installed unpinned in the image: the packageManager field of the project does not decide (hoppscotch-backend)',
      filename: at('pnpm10'),
      code: 'FROM node:20\nRUN npm i -g pnpm\nCMD ["pnpm", "start"]\n',
      output: 'FROM node:20\nRUN npm i -g pnpm\nCMD ["node", "dist/server.js"]\n',
      errors: [{ messageId: 'packageManager', data: { where: 'Dockerfile CMD', command: 'pnpm start', behaviour: PNPM_UNPINNED, remedy: 'Run what the script runs, in exec form: CMD ["node", "dist/server.js"].' } }],
    },
    {
      name: 'bun 1.0 neither passes SIGTERM on nor exits',
      filename: at('app'),
      code: 'FROM oven/bun:1.0.36\nCMD ["bun", "run", "start"]\n',
      output: 'FROM oven/bun:1.0.36\nCMD ["node", "dist/server.js"]\n',
      errors: [
        {
          messageId: 'packageManager',
          data: {
            where: 'Dockerfile CMD',
            command: 'bun run start',
            behaviour:
              "bun 1.0 becomes the container's main process and gets the platform's SIGTERM, but neither passes it on nor exits (measured, bun 1.0.36): Node's shutdown handler never runs and the platform kills the container at its deadline with requests in flight.",
            remedy: 'Run what the script runs, in exec form: CMD ["node", "dist/server.js"].',
          },
        },
      ],
    },
    {
      name: 'bun with no version written',
      filename: at('app'),
      code: 'FROM node:20\nRUN npm i -g bun\nCMD ["bun", "run", "start"]\n',
      output: 'FROM node:20\nRUN npm i -g bun\nCMD ["node", "dist/server.js"]\n',
      errors: [
        {
          messageId: 'packageManager',
          data: {
            where: 'Dockerfile CMD',
            command: 'bun run start',
            behaviour: `bun becomes the container's main process and gets the platform's SIGTERM: bun 1.0 neither passes it on nor exits (the platform kills the container at its deadline); bun 1.1 and later pass it on and wait for node (measured, 1.1.45, 1.2.23, 1.4.5), and nothing in the project says which bun this container runs (no \`oven/bun:\` tag, no \`bun@\` version). ${SAFE_REGARDLESS}`,
            remedy: 'Run what the script runs, in exec form: CMD ["node", "dist/server.js"].',
          },
        },
      ],
    },
    {
      name: 'yarn 2+ (packageManager): not measured, said so',
      filename: at('yarn4'),
      code: 'FROM node:20\nCMD ["yarn", "start"]\n',
      output: 'FROM node:20\nCMD ["node", "dist/server.js"]\n',
      errors: [
        {
          messageId: 'packageManager',
          data: {
            where: 'Dockerfile CMD',
            command: 'yarn start',
            behaviour: `yarn 4 becomes the container's main process and gets the platform's SIGTERM; what yarn 2 and later do with it was not measured (yarn 1 exits at once and node is killed mid-request). ${SAFE_REGARDLESS}`,
            remedy: 'Run what the script runs, in exec form: CMD ["node", "dist/server.js"].',
          },
        },
      ],
    },
    {
      name: 'compose: a service named for a migration is skipped; a server that migrates first is still reported',
      filename: at('app', 'docker-compose.yml'),
      code: 'services:\n  migrate:\n    build: .\n    command: npm start\n  api:\n    build: .\n    command: sh -c "pnpm exec prisma migrate deploy && npm start"\n',
      output: null,
      errors: [{ messageId: 'packageManager', line: 7, data: { where: 'docker-compose.yml services.api.command', command: 'npm start', behaviour: SHELL, remedy: 'Start node itself, with `exec node …` as the last command.' } }],
    },
];

ruleTester.run('sigterm-must-reach-node', rule, {
  valid: [
    // Node as PID 1.
    { filename: at('app'), code: 'FROM node:20-slim\nWORKDIR /app\nCMD ["node", "dist/server.js"]\n' },
    { filename: at('app'), code: 'FROM node:20\nCMD ["node", "--enable-source-maps", "dist/server.js"]\n' },
    // The shell replaces itself with node.
    { filename: at('app'), code: 'FROM node:20\nCMD exec node dist/server.js\n' },
    { filename: at('app'), code: 'FROM node:20\nCMD ["sh", "-c", "npx prisma migrate deploy && exec node dist/server.js"]\n' },
    // Alpine's /bin/sh is busybox ash, which replaces itself with the last command of a -c string.
    { filename: at('app'), code: 'FROM node:20-alpine\nCMD ["sh", "-c", "npx prisma migrate deploy && node dist/server.js"]\n' },
    { filename: at('app'), code: 'FROM node:20 AS build\nRUN npm run build\nFROM node:20.11-alpine3.19 AS runner\nCMD npx prisma migrate deploy && node dist/server.js\n' },
    // A compose `command` over an image whose ENTRYPOINT is tini (hoppscotch's aio target): tini is PID 1 and forwards SIGTERM.
    {
      filename: at('compose-images', 'docker-compose.yml'),
      code: 'services:\n  aio:\n    build:\n      context: .\n      target: aio\n    command: ["sh", "-c", "npx prisma migrate deploy && npm start"]\n',
    },
    // The image is Alpine-based: busybox execs the last command of sh -c.
    { filename: at('compose-images', 'compose.yaml'), code: 'services:\n  api:\n    image: node:20-alpine\n    command: sh -c "npx prisma migrate deploy && node server.js"\n' },
    // An init process forwards SIGTERM (docker run --init adds one).
    { filename: at('app'), code: 'FROM node:20\nRUN apt-get install -y tini\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["npm", "start"]\n' },
    { filename: at('app'), code: 'FROM node:20\nCMD ["dumb-init", "npm", "start"]\n' },
    // Only the final stage's CMD is the container's.
    { filename: at('app'), code: 'FROM node:20 AS build\nCMD npm run build\nFROM node:20-slim\nCMD ["node", "dist/server.js"]\n' },
    // RUN lines are build steps, not the container's process; other programs are not Node.
    { filename: at('app'), code: 'FROM node:20\nRUN npm ci && npm run build\nCMD ["node", "dist/server.js"]\n' },
    { filename: at('app'), code: 'FROM nginx:1.27\nCMD nginx -g "daemon off;"\n' },
    // pnpm 11 and 12, bun 1.1 and later pass SIGTERM on and wait for node (measured): nothing to report.
    { filename: at('pnpm11'), code: 'FROM node:20\nRUN corepack enable\nCMD ["pnpm", "start"]\n' },
    { filename: at('app'), code: 'FROM node:20\nRUN npm i -g pnpm@12.23.0\nCMD ["pnpm", "run", "start"]\n' },
    { filename: at('app'), code: 'FROM oven/bun:1\nCMD ["bun", "run", "start"]\n' },
    { filename: at('app'), code: 'FROM oven/bun:1.2-alpine\nCMD ["bun", "start"]\n' },
    { filename: at('app'), code: 'FROM oven/bun\nCMD ["bun", "run", "start"]\n' },
    // One-shot tasks (a migration, a seed) run and exit: no server, nothing in flight.
    { filename: at('app', 'docker-compose.yml'), code: 'services:\n  app-migrate:\n    build: .\n    command: sh -c "pnpm exec prisma migrate deploy"\n' },
    { filename: at('app', 'docker-compose.yml'), code: 'services:\n  db-seed:\n    build: .\n    command: npm run seed:prod\n' },
    { filename: at('pnpm10', 'docker-compose.yml'), code: 'services:\n  jobs:\n    build: .\n    command: pnpm run db:migrate\n' },
    { filename: at('app'), code: 'FROM node:20\nCMD ["npx", "prisma", "migrate", "deploy"]\n' },
    { filename: at('app'), code: 'FROM node:20\nCMD npx prisma migrate deploy\n' },
    { filename: at('app'), code: 'FROM node:20\nCMD ["node", "scripts/seed.js"]\n' },
    // `bun server.ts` is the Bun runtime itself.
    { filename: at('app'), code: 'FROM oven/bun:1\nCMD ["bun", "src/server.ts"]\n' },
    // Compose: a string command is split into words, not run by a shell; `init: true` adds an init.
    { filename: at('app', 'docker-compose.yml'), code: 'services:\n  web:\n    build: .\n    command: node dist/server.js\n' },
    { filename: at('app', 'docker-compose.yml'), code: 'services:\n  web:\n    build: .\n    init: true\n    command: npm start\n' },
    // Procfile platforms (Heroku) send SIGTERM to every process of the dyno, and package.json is not a container.
    { filename: at('app', 'Procfile'), code: 'web: npm start\n' },
    // Development files are not what a platform runs.
    { filename: at('app', 'Dockerfile.dev'), code: 'FROM node:20\nCMD ["npm", "run", "dev"]\n' },
    { filename: at('app', 'docker-compose.dev.yml'), code: 'services:\n  web:\n    build: .\n    command: npm run dev\n' },
    { filename: at('app', 'package.json'), code: '{ "scripts": { "start": "npm run serve" } }' },
    // A start script that execs node; a script no Dockerfile starts.
    { filename: at('script-project', 'docker/start.sh'), code: '#!/bin/sh\nset -e\nnpx prisma migrate deploy\nexec node dist/server.js\n' },
    { filename: at('script-project', 'docker/backup.sh'), code: '#!/bin/sh\nnode scripts/backup.js\n' },
    // A script that traps signals itself.
    { filename: at('script-project', 'docker/start.sh'), code: "#!/bin/sh\ntrap 'kill -TERM $child' TERM\nnode dist/server.js\n" },
  ].map(inDeployFile),
  invalid: invalid.map(inDeployFile),
});
