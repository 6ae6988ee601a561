/**
 * The recommended config beside the configs users put next to it for their other files: typescript-eslint
 * (a parser for every file), @eslint/json (its language over `**\/*.json`) and eslint-plugin-yml (its
 * language over YAML), in every order. deploy-safe's findings and the other plugins' must all be there;
 * the one order ESLint refuses (@eslint/json's block before deploy-safe's) must fail loudly, with a
 * message that names both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import json from '@eslint/json';
import yml from 'eslint-plugin-yml';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';
import { scratchDirectory } from '../helpers/scratch';

const PROJECT: Record<string, string> = {
  'package.json': '{ "name": "svc", "scripts": { "start": "prisma db push && node dist/server.js" } }\n',
  'railway.json': '{ "deploy": { "startCommand": "npx prisma db push && node dist/server.js" } }\n',
  'config/settings.json': '{ "region": "eu", "region": "us" }\n',
  'render.yaml': 'services:\n  - type: web\n    name: api\n    startCommand: npx prisma db push && node dist/server.js\n    envVars:\n',
  'docker-compose.yml': 'services:\n  api:\n    build: .\n    command: sh -c "npx prisma db push && node dist/server.js"\n',
  Procfile: 'release: npx prisma db push\nweb: node dist/server.js\n',
  Dockerfile: 'FROM node:20\nCMD npm start\n',
  'railway.toml': '[deploy]\nstartCommand = "npx prisma db push && node dist/server.js"\n',
  'src/server.ts': "import express from 'express';\n\nconst app = express();\nconst unused: any = 1;\napp.listen(3000);\n",
};

const FINDINGS = {
  'package.json': ['deploy-safe/no-db-push-script'],
  'railway.json': ['deploy-safe/no-db-push-script'],
  'config/settings.json': ['json/no-duplicate-keys'],
  'render.yaml': ['deploy-safe/no-db-push-script', 'yml/no-empty-mapping-value'],
  'docker-compose.yml': ['deploy-safe/no-db-push-script', 'deploy-safe/sigterm-must-reach-node'],
  Procfile: ['deploy-safe/no-db-push-script'],
  Dockerfile: ['deploy-safe/sigterm-must-reach-node'],
  'railway.toml': ['deploy-safe/no-db-push-script'],
  'src/server.ts': ['@typescript-eslint/no-explicit-any', '@typescript-eslint/no-unused-vars', 'deploy-safe/listen-requires-host'],
};

const BLOCKS: Record<string, () => Linter.Config[]> = {
  'typescript-eslint': () => tseslint.configs.recommended as Linter.Config[],
  'deploy-safe': () => plugin.configs.recommended,
  '@eslint/json': () => [{ files: ['**/*.json'], plugins: { json: json as never }, language: 'json/json', rules: json.configs.recommended.rules as Linter.RulesRecord }],
  'eslint-plugin-yml': () => yml.configs.standard as Linter.Config[],
};

function orders(names: string[]): string[][] {
  if (names.length <= 1) return [names];
  return names.flatMap((first) => orders(names.filter((name) => name !== first)).map((rest) => [first, ...rest]));
}

describe('deploy-safe beside typescript-eslint, @eslint/json and eslint-plugin-yml, in every order', () => {
  const dir = scratchDirectory('deploy-safe-compose-languages-');
  for (const [file, text] of Object.entries(PROJECT)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }

  async function findings(order: string[]): Promise<Record<string, string[]>> {
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: order.flatMap((name) => BLOCKS[name]()) });
    const results = await eslint.lintFiles(Object.keys(PROJECT));
    return Object.fromEntries(results.map((result) => [relative(dir, result.filePath).split(sep).join('/'), result.messages.map((message) => message.ruleId ?? `fatal: ${message.message}`).sort()]));
  }

  const all = orders(Object.keys(BLOCKS));
  const jsonAfterDeploySafe = (order: string[]) => order.indexOf('@eslint/json') > order.indexOf('deploy-safe');

  it.each(all.filter(jsonAfterDeploySafe).map((order) => [order.join(', ')]))('%s: every plugin reports what it reports alone', async (order) => {
    expect(await findings(order.split(', '))).toEqual(FINDINGS);
  });

  it.each(all.filter((order) => !jsonAfterDeploySafe(order)).map((order) => [order.join(', ')]))(
    "%s: ESLint refuses @eslint/json's rules under deploy-safe's JSON language, and says so",
    async (order) => {
      await expect(findings(order.split(', '))).rejects.toThrow(/rules do not support the language "deploy-safe\/jsonc"[\s\S]*json\/no-duplicate-keys/);
    },
  );
});
