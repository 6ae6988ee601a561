import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';

const root = join(__dirname, '..', '..');
const ruleIds = readdirSync(join(root, 'src', 'rules'))
  .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
  .map((name) => name.replace(/\.ts$/, ''));
const projectDir = join(root, 'test', 'fixtures', 'config-project');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

type RuleMeta = { meta: { type: string; docs: { description: string; url: string; recommended?: boolean }; messages: Record<string, string> } };

describe('every rule', () => {
  it('has rule files to check', () => expect(ruleIds.length).toBeGreaterThan(0));

  for (const id of ruleIds) {
    describe(id, () => {
      const rule = (plugin.rules as Record<string, RuleMeta>)[id];

      it('is exported under its file name', () => expect(rule).toBeDefined());

      it('has a docs page that its meta.docs.url points to', () => {
        expect(rule.meta.docs.url).toMatch(new RegExp(`/docs/rules/${id}\\.md$`));
        expect(existsSync(join(root, 'docs', 'rules', `${id}.md`))).toBe(true);
        const doc = readFileSync(join(root, 'docs', 'rules', `${id}.md`), 'utf8');
        expect(doc.startsWith(`# deploy-safe/${id}\n`)).toBe(true);
        expect(doc).toMatch(/## Examples|### Incorrect/);
      });

      it('has rule tests and a codemod with tests', () => {
        expect(existsSync(join(root, 'test', 'rules', `${id}.test.ts`))).toBe(true);
        expect(existsSync(join(root, 'codemods', `${id}.ts`))).toBe(true);
        expect(existsSync(join(root, 'test', 'codemods', `${id}.test.ts`))).toBe(true);
      });

      it('is in the recommended config as an error when meta.docs.recommended says so', () => {
        const enabled = plugin.configs.recommended.some((config) => config.rules?.[`deploy-safe/${id}`] === 'error');
        expect(enabled).toBe(rule.meta.docs.recommended === true);
      });

      it('has a valid type, a description and messages', () => {
        expect(['problem', 'suggestion', 'layout']).toContain(rule.meta.type);
        expect(rule.meta.docs.description.length).toBeGreaterThan(10);
        expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
      });
    });
  }
});

describe('the plugin object', () => {
  it('carries name, version and namespace for --cache and --print-config', () => {
    expect(plugin.meta).toEqual({ name: packageJson.name, version: packageJson.version, namespace: 'deploy-safe' });
  });

  it('exposes flat recommended/strict, their flat/ aliases and the legacy config', () => {
    expect(Array.isArray(plugin.configs.recommended)).toBe(true);
    expect(plugin.configs['flat/recommended']).toBe(plugin.configs.recommended);
    expect(plugin.configs['flat/strict']).toBe(plugin.configs.strict);
    expect(plugin.configs['legacy-recommended'].plugins).toEqual(['deploy-safe']);
  });
});

async function lintServer(eslint: { lintFiles(patterns: string[]): Promise<ESLint.LintResult[]> }): Promise<string[]> {
  const [result] = await eslint.lintFiles(['src/server.ts']);
  expect(result.messages.filter((message) => message.fatal)).toEqual([]);
  return result.messages.map((message) => message.ruleId ?? 'null');
}

describe('the configs on real ESLint majors', () => {
  it('ESLint 10: the recommended flat config alone lints a TypeScript file', async () => {
    const eslint = new ESLint({ cwd: projectDir, overrideConfigFile: true, overrideConfig: plugin.configs.recommended });
    expect(await lintServer(eslint)).toEqual(['deploy-safe/listen-requires-host']);
  });

  it('ESLint 10: composes with typescript-eslint recommended, either order', async () => {
    for (const config of [
      [...tseslint.configs.recommended, ...plugin.configs.recommended],
      [...plugin.configs.recommended, ...tseslint.configs.recommended],
    ]) {
      const eslint = new ESLint({ cwd: projectDir, overrideConfigFile: true, overrideConfig: config as never });
      expect((await lintServer(eslint)).sort()).toEqual(['@typescript-eslint/no-explicit-any', '@typescript-eslint/no-unused-vars', 'deploy-safe/listen-requires-host']);
    }
  });

  it('ESLint 10: works through defineConfig extends by name', async () => {
    const { defineConfig } = await import('eslint/config');
    const eslint = new ESLint({
      cwd: projectDir,
      overrideConfigFile: true,
      overrideConfig: defineConfig({ files: ['**/*.ts'], plugins: { 'deploy-safe': plugin as never }, extends: ['deploy-safe/recommended'] }),
    });
    expect(await lintServer(eslint)).toContain('deploy-safe/listen-requires-host');
  });

  it('ESLint 9: the recommended flat config', async () => {
    const { ESLint: ESLint9 } = (await import('eslint-v9')) as unknown as { ESLint: typeof ESLint };
    const eslint = new ESLint9({ cwd: projectDir, overrideConfigFile: true, overrideConfig: plugin.configs.recommended });
    expect(await lintServer(eslint)).toEqual(['deploy-safe/listen-requires-host']);
  });

  it('ESLint 8.57: .eslintrc extends plugin:deploy-safe/legacy-recommended', async () => {
    const { ESLint: ESLint8 } = (await import('eslint-v8')) as unknown as {
      ESLint: new (options: Record<string, unknown>) => { lintFiles(patterns: string[]): Promise<ESLint.LintResult[]> };
    };
    const eslint = new ESLint8({
      cwd: projectDir,
      useEslintrc: false,
      plugins: { 'deploy-safe': plugin },
      overrideConfig: { root: true, extends: ['plugin:deploy-safe/legacy-recommended'] },
    });
    expect(await lintServer(eslint)).toEqual(['deploy-safe/listen-requires-host']);
  });
});
