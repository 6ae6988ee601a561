import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';
import { scratchDirectory } from '../helpers/scratch';

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

/**
 * typescript-eslint's presets start with `typescript-eslint/base`: no `files`, `languageOptions.parser` =
 * its parser. Placed after ours it used to parse package.json and deploy files as TypeScript. The deploy-file
 * blocks now have languages of their own that fix the parser, so every order gives the same findings.
 */
describe('deploy files and code, composed with typescript-eslint in every order', () => {
  const DEPLOY_PROJECT: Record<string, string> = {
    'package.json': '{ "name": "svc", "scripts": { "start": "prisma db push && node dist/server.js" } }\n',
    Procfile: 'release: npx prisma db push\nweb: node dist/server.js\n',
    Dockerfile: 'FROM node:20\n# eslint-disable-next-line deploy-safe/sigterm-must-reach-node\nCMD npm start\n',
    'Dockerfile.worker': 'FROM node:20\nCMD npm start\n',
    'railway.toml': '[deploy]\nstartCommand = "npx prisma db push && node dist/server.js"\n',
    'src/server.ts': readFileSync(join(projectDir, 'src', 'server.ts'), 'utf8'),
  };
  const DEPLOY_FINDINGS = {
    'package.json': ['deploy-safe/no-db-push-script'],
    Procfile: ['deploy-safe/no-db-push-script'],
    Dockerfile: [],
    'Dockerfile.worker': ['deploy-safe/sigterm-must-reach-node'],
    'railway.toml': ['deploy-safe/no-db-push-script'],
  };
  const TS_FINDINGS = ['@typescript-eslint/no-explicit-any', '@typescript-eslint/no-unused-vars', 'deploy-safe/listen-requires-host'];

  // Made at collection time: removed after this block's tests.
  const dir = scratchDirectory('deploy-safe-compose-');
  for (const [file, text] of Object.entries(DEPLOY_PROJECT)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const project = (): string => dir;

  async function findings(config: unknown, LintEngine: typeof ESLint = ESLint): Promise<Record<string, string[]>> {
    const eslint = new LintEngine({ cwd: project(), overrideConfigFile: true, overrideConfig: config as never });
    const results = await eslint.lintFiles(Object.keys(DEPLOY_PROJECT));
    return Object.fromEntries(
      results.map((result) => [
        relative(project(), result.filePath).split(sep).join('/'),
        result.messages.map((message) => message.ruleId ?? `fatal: ${message.message}`).sort(),
      ]),
    );
  }

  const expected = (code: string[]) => ({ ...DEPLOY_FINDINGS, 'src/server.ts': code });

  it('ESLint 10: deploy-safe alone', async () => {
    expect(await findings(plugin.configs.recommended)).toEqual(expected(['deploy-safe/listen-requires-host']));
  });

  it.each([
    ['typescript-eslint first', () => [...tseslint.configs.recommended, ...plugin.configs.recommended]],
    ['deploy-safe first', () => [...plugin.configs.recommended, ...tseslint.configs.recommended]],
    ['deploy-safe between base and recommended', () => [tseslint.configs.base, ...plugin.configs.recommended, ...tseslint.configs.recommended.slice(1)]],
    ['a global parser block of the user after deploy-safe', () => [...plugin.configs.recommended, { languageOptions: { parser: tseslint.parser } }, ...tseslint.configs.recommended]],
    ['tseslint.config(), deploy-safe first', () => tseslint.config(...(plugin.configs.recommended as never[]), tseslint.configs.recommended)],
  ])('ESLint 10: %s', async (_, config) => {
    expect(await findings(config())).toEqual(expected(TS_FINDINGS));
  });

  it('ESLint 10: strict configs, deploy-safe first', async () => {
    const result = await findings([...plugin.configs.strict, ...tseslint.configs.strict]);
    expect(result).toEqual(expected([...TS_FINDINGS, 'deploy-safe/shutdown-must-close-server']));
  });

  it('ESLint 10: defineConfig extends by name, then typescript-eslint', async () => {
    const { defineConfig } = await import('eslint/config');
    const config = defineConfig({ plugins: { 'deploy-safe': plugin as never }, extends: ['deploy-safe/recommended'] }, tseslint.configs.recommended);
    expect(await findings(config)).toEqual(expected(TS_FINDINGS));
  });

  it.each([
    ['typescript-eslint first', () => [...tseslint.configs.recommended, ...plugin.configs.recommended]],
    ['deploy-safe first', () => [...plugin.configs.recommended, ...tseslint.configs.recommended]],
  ])('ESLint 9: %s', async (_, config) => {
    const { ESLint: ESLint9 } = (await import('eslint-v9')) as unknown as { ESLint: typeof ESLint };
    expect(await findings(config(), ESLint9)).toEqual(expected(TS_FINDINGS));
  });

  it('what a later global parser used to do: without the languages, package.json and deploy files parse as TypeScript', async () => {
    const parserOnly = plugin.configs.recommended.map(({ language: _language, ...config }) => config);
    const result = await findings([...parserOnly, ...tseslint.configs.recommended]);
    expect(result['package.json']).toEqual(['@typescript-eslint/no-unused-expressions']);
    expect(result['railway.toml']).toEqual(['@typescript-eslint/no-unused-expressions']);
    expect(result.Procfile).toEqual([expect.stringMatching(/^fatal: Parsing error/)]);
    expect(result['Dockerfile.worker']).toEqual([expect.stringMatching(/^fatal: Parsing error/)]);
  });

  it('every deploy-file block names a language of the plugin, and the rules that declare languages accept it', () => {
    const deployBlocks = plugin.configs.recommended.filter((config) => config.name?.startsWith('deploy-safe/recommended/'));
    expect(deployBlocks.length).toBeGreaterThan(0);
    for (const block of deployBlocks) {
      const [namespace, language] = (block.language ?? '').split('/');
      expect(namespace).toBe('deploy-safe');
      expect(plugin.languages[language]).toBeDefined();
    }
    for (const rule of Object.values(plugin.rules as Record<string, { meta: { languages?: string[] } }>)) {
      if (rule.meta.languages) expect(rule.meta.languages).toContain('deploy-safe/*');
    }
  });
});
