import { Linter } from 'eslint';
import { Linter as LinterV9 } from 'eslint-v9';
import json from '@eslint/json';
import { describe, expect, it } from 'vitest';
import { deployFileConfigs } from '../../src/configs/deploy-files';
import noDbPushScript from '../../src/rules/no-db-push-script';
import sigtermMustReachNode from '../../src/rules/sigterm-must-reach-node';
import listenRequiresHost from '../../src/rules/listen-requires-host';
import { mightHaveServerCommand } from '../../src/server/server-commands';

/**
 * The deploy-file parsers through ESLint itself, as a user's config runs them: `#` comments are real
 * comments (so disable directives work in Dockerfiles, Procfiles and shell files), and a JSON language
 * configured over package.json makes ESLint refuse the rules rather than drop their findings silently.
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

  it("fails loudly when package.json is linted with ESLint's JSON language", () => {
    const code = '{ "scripts": { "prestart": "prisma db push" } }\n';
    expect(summary(lint('package.json', code))).toEqual(['1:29 deploy-safe/no-db-push-script dbPushOnDeploy']);
    // What `npm init @eslint/config` writes for JSON files, after the plugin's config.
    const jsonLanguage: Linter.Config = { files: ['**/*.json'], plugins: { json: json as never }, language: 'json/json' };
    expect(() => lint('package.json', code, [jsonLanguage])).toThrow(/no-db-push-script/);
  });

  it("fails loudly on ESLint 9 too, which does not check meta.languages", () => {
    const code = '{ "scripts": { "prestart": "prisma db push", "preview": "vite preview" } }\n';
    const jsonLanguage = { files: ['**/*.json'], plugins: { json: json as never }, language: 'json/json' };
    for (const rule of ['no-db-push-script', 'listen-requires-host']) {
      const verify = () => new LinterV9({ configType: 'flat' }).verify(code, [...configs(rule), jsonLanguage] as never, { filename: 'package.json' });
      expect(verify).toThrow(new RegExp(`deploy-safe/${rule} cannot read this file: another ESLint language parsed it \\(its syntax tree is a Document`));
    }
  });

  it("fails loudly for listen-requires-host too, whose package.json half reads the same ASTs", () => {
    const code = '{ "scripts": { "start": "vite preview --port $PORT" } }\n';
    expect(summary(lint('package.json', code, [], 'listen-requires-host'))).toEqual(['1:26 deploy-safe/listen-requires-host viteCommandMissingHost']);
    const jsonLanguage: Linter.Config = { files: ['**/*.json'], plugins: { json: json as never }, language: 'json/json' };
    expect(() => lint('package.json', code, [jsonLanguage], 'listen-requires-host')).toThrow(/listen-requires-host/);
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
