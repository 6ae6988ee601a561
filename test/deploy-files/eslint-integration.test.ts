import { Linter } from 'eslint';
import { Linter as LinterV9 } from 'eslint-v9';
import json from '@eslint/json';
import { describe, expect, it } from 'vitest';
import { deployFileConfigs } from '../../src/configs/deploy-files';
import noDbPushScript from '../../src/rules/no-db-push-script';
import sigtermMustReachNode from '../../src/rules/sigterm-must-reach-node';
import listenRequiresHost from '../../src/rules/listen-requires-host';
import noMultiplePrismaClients from '../../src/rules/no-multiple-prisma-clients';
import { mightHaveServerCommand } from '../../src/server/server-commands';

/**
 * The deploy-file parsers through ESLint itself, as a user's config runs them: `#` comments are real
 * comments (so disable directives work in Dockerfiles, Procfiles and shell files), and package.json and
 * railway.json read the same under @eslint/json's JSON language.
 */
const plugin = { meta: { name: 'eslint-plugin-deploy-safe' }, rules: { 'no-db-push-script': noDbPushScript, 'sigterm-must-reach-node': sigtermMustReachNode, 'listen-requires-host': listenRequiresHost } };
const configs = (rule = 'no-db-push-script'): Linter.Config[] =>
  deployFileConfigs(plugin as never).map((config) => ({ ...config, rules: { [`deploy-safe/${rule}`]: 'error' as const } }));

function lint(filename: string, code: string, extra: Linter.Config[] = [], rule?: string): Linter.LintMessage[] {
  return new Linter({ configType: 'flat' }).verify(code, [...configs(rule), ...extra, { linterOptions: { reportUnusedDisableDirectives: 'error' } }], { filename });
}

const summary = (messages: Linter.LintMessage[]) => messages.map((message) => `${message.line}:${message.column} ${message.ruleId ?? 'fatal'} ${message.messageId ?? message.message}`);

describe('deploy files under ESLint', () => {
  it.each([
    ['Dockerfile', 'FROM node:20\n# eslint-disable-next-line deploy-safe/no-db-push-script\nRUN npx prisma db push\nRUN npx prisma db push\n', ['4:5 deploy-safe/no-db-push-script dbPushOnDeploy']],
    ['Procfile', '# eslint-disable-next-line deploy-safe/no-db-push-script\nrelease: npx prisma db push\nweb: npx prisma db push && node x.js\n', ['3:6 deploy-safe/no-db-push-script dbPushOnDeploy']],
    ['start.sh', '#!/bin/sh\n# eslint-disable-next-line deploy-safe/no-db-push-script\nnpx prisma db push\nnpx prisma db push # eslint-disable-line deploy-safe/no-db-push-script\nnpx prisma db push\n', ['5:1 deploy-safe/no-db-push-script dbPushOnDeploy']],
  ])('`# eslint-disable-next-line` silences one finding in %s', (filename, code, expected) => {
    expect(summary(lint(filename, code))).toEqual(expected);
  });

  it('reports a disable directive that silences nothing, as for code', () => {
    expect(summary(lint('Procfile', '# eslint-disable-next-line deploy-safe/no-db-push-script\nweb: node x.js\n'))).toEqual([
      expect.stringMatching(/^1:1 fatal .*Unused eslint-disable directive/),
    ]);
  });

  it('does not take a `#` inside a command or a heredoc body for a Dockerfile comment', () => {
    const code = 'FROM node:20\nRUN echo "# eslint-disable-next-line deploy-safe/no-db-push-script" \\\n  && npx prisma db push\n';
    expect(summary(lint('Dockerfile', code))).toEqual(['3:6 deploy-safe/no-db-push-script dbPushOnDeploy']);
  });

  // What `npm init @eslint/config` writes for JSON files, after the plugin's config: @eslint/json's language wins there.
  const jsonLanguage: Linter.Config = { files: ['**/*.json'], plugins: { json: json as never }, language: 'json/json' };
  const JSON_DEPLOY_FILES: Array<[string, string, string]> = [
    ['no-db-push-script', 'package.json', '{ "scripts": { "prestart": "prisma db push" } }\n'],
    ['no-db-push-script', 'railway.json', '{ "deploy": { "startCommand": "npx prisma db push && node dist/server.js" } }\n'],
    ['listen-requires-host', 'package.json', '{ "scripts": { "start": "vite preview --port $PORT" } }\n'],
  ];

  it.each(JSON_DEPLOY_FILES)("%s reads %s under @eslint/json's language: the same findings and fixes as under its own", (rule, filename, code) => {
    const own = lint(filename, code, [], rule);
    expect(own.filter((message) => message.ruleId === `deploy-safe/${rule}`)).not.toEqual([]);
    expect(summary(lint(filename, code, [jsonLanguage], rule))).toEqual(summary(own));
    const fixed = (extra: Linter.Config[]) => new Linter({ configType: 'flat' }).verifyAndFix(code, [...configs(rule), ...extra], { filename }).output;
    expect(fixed([jsonLanguage])).toBe(fixed([]));
  });

  it('sigterm-must-reach-node, on in the same blocks, runs under it too (neither file starts a container: nothing to report)', () => {
    const code = '{ "scripts": { "start": "npm run serve" } }\n';
    expect(lint('package.json', code, [jsonLanguage], 'sigterm-must-reach-node')).toEqual([]);
  });

  it.each(JSON_DEPLOY_FILES)('%s reads %s under @eslint/json on ESLint 9 too', (rule, filename, code) => {
    const verify = (extra: object[]) => summary(new LinterV9({ configType: 'flat' }).verify(code, [...configs(rule), ...extra] as never, { filename }) as Linter.LintMessage[]);
    expect(verify([jsonLanguage])).toEqual(verify([]));
  });

  it('a rule that reads code fails loudly on a tree of another language, naming the cause (ESLint 9 does not check meta.languages)', () => {
    const code = '{ "name": "svc" }\n';
    const config = [{ files: ['**/*.json'], plugins: { 'deploy-safe': { rules: { 'no-multiple-prisma-clients': noMultiplePrismaClients } }, json }, language: 'json/json', rules: { 'deploy-safe/no-multiple-prisma-clients': 'error' } }];
    const verify = () => new LinterV9({ configType: 'flat' }).verify(code, config as never, { filename: 'data.json' });
    expect(verify).toThrow(/deploy-safe\/no-multiple-prisma-clients cannot read this file: another ESLint language parsed it \(its syntax tree is a Document/);
  });
});

describe("listen-requires-host's cheap bail-out before the shell parser", () => {
  it.each([
    ['{ "scripts": { "preview": "vite preview" } }', true],
    ['{ "scripts": { "dev": "vite" } }', true],
    ['{ "scripts": { "start": "npx vite --port 3000" } }', true],
    ['{ "scripts": { "start": "./node_modules/.bin/vite preview" } }', true],
    ['{ "scripts": { "start": "next start -H localhost" } }', true],
    ['{ "scripts": { "start": "next start --hostname=127.0.0.1" } }', true],
    // A Next or Vite app's package.json names the package without running a reportable command.
    ['{ "scripts": { "build": "next build", "start": "next start -p 3000" }, "dependencies": { "next": "15.5.0" } }', false],
    ['{ "scripts": { "test": "vitest", "build": "tsc" }, "devDependencies": { "vite": "^6.0.0", "@vitejs/plugin-react": "^4", "vite-node": "^3" } }', false],
    ['{ "scripts": { "start": "node server.js -H x" } }', false],
    ['CMD ["npx", "next", "start", "--hostname", "127.0.0.1"]', true],
  ])('%s → %s', (text, expected) => {
    expect(mightHaveServerCommand(text)).toBe(expected);
  });
});
