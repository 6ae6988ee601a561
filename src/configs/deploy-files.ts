import type { ESLint, Linter } from 'eslint';
import { basename, join } from 'node:path';
import { Minimatch } from 'minimatch';
import type * as JsoncParser from 'jsonc-eslint-parser' with { 'resolution-mode': 'import' };
import type * as TomlParser from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import type * as YamlParser from 'yaml-eslint-parser' with { 'resolution-mode': 'import' };
import * as shellLinesParser from '../deploy-files/shell-lines';

// These parsers ship as ES modules only; `require` loads them on the Node versions ESLint 10 and this
// package support (require(esm), Node 20.19+), and keeps the plugin loadable from CommonJS configs.
const jsoncParser: typeof JsoncParser = require('jsonc-eslint-parser');
const tomlParser: typeof TomlParser = require('toml-eslint-parser');
const yamlParser: typeof YamlParser = require('yaml-eslint-parser');

/** Rules that run on package.json and deploy files (Dockerfile, Procfile, platform configs). */
export const DEPLOY_FILE_RULES: readonly string[] = ['listen-requires-host', 'no-db-push-script', 'sigterm-must-reach-node'];
/** Of those, the ones with nothing to check in code. */
export const DEPLOY_FILE_ONLY_RULES: readonly string[] = ['no-db-push-script', 'sigterm-must-reach-node'];

/**
 * Each kind of deploy file with the parser that reads it. JSON, YAML and TOML go through the parsers
 * eslint-plugin-jsonc/yml/toml use, so a user's own config for those files composes with this one;
 * Dockerfiles, Procfiles and shell scripts through the plugin's own `shell-lines` parser.
 */
const DEPLOY_FILE_GROUPS = [
  { name: 'package-json', files: ['**/package.json'], parser: jsoncParser, parserPath: require.resolve('jsonc-eslint-parser') },
  { name: 'platform-json', files: ['**/railway.json', '**/vercel.json'], parser: jsoncParser, parserPath: require.resolve('jsonc-eslint-parser') },
  {
    name: 'platform-yaml',
    files: ['**/render.yaml', '**/render.yml', '**/docker-compose*.yml', '**/docker-compose*.yaml', '**/compose.yml', '**/compose.yaml'],
    parser: yamlParser,
    parserPath: require.resolve('yaml-eslint-parser'),
  },
  {
    name: 'platform-toml',
    files: ['**/railway.toml', '**/nixpacks.toml', '**/fly.toml', '**/fly.*.toml'],
    parser: tomlParser,
    parserPath: require.resolve('toml-eslint-parser'),
  },
  {
    name: 'command-files',
    files: ['**/Dockerfile', '**/Dockerfile.*', '**/*.dockerfile', '**/Containerfile', '**/Procfile', '**/*.sh'],
    parser: shellLinesParser,
    // ESLint 8 loads parsers by path: the compiled parser next to this file in dist/.
    parserPath: join(__dirname, '..', 'deploy-files', 'shell-lines'),
  },
] as const;

function deployRules(): Linter.RulesRecord {
  return Object.fromEntries(DEPLOY_FILE_RULES.map((id) => [`deploy-safe/${id}`, 'error']));
}

/** Flat config entries that parse deploy files and enable the deploy-file rules on them. */
export function deployFileConfigs(plugin: ESLint.Plugin): Linter.Config[] {
  return DEPLOY_FILE_GROUPS.map((group) => ({
    name: `deploy-safe/recommended/${group.name}`,
    files: [...group.files],
    plugins: { 'deploy-safe': plugin },
    languageOptions: { parser: group.parser as unknown as Linter.Parser },
    rules: deployRules(),
  }));
}

/** The same for ESLint 8's `.eslintrc` (`overrides` entries; parsers by absolute path). */
export function legacyDeployFileOverrides(): NonNullable<Linter.LegacyConfig['overrides']> {
  return DEPLOY_FILE_GROUPS.map((group) => ({
    files: [...group.files],
    parser: group.parserPath,
    rules: deployRules(),
  }));
}

/** The parser the recommended config uses for a deploy file, by its name; undefined for other files. */
export function deployFileParser(filePath: string): { parseForESLint(code: string, options?: Record<string, unknown>): { ast: unknown; services?: unknown } } | undefined {
  const name = `x/${basename(filePath)}`;
  compiledGroups ??= DEPLOY_FILE_GROUPS.map((group) => ({ parser: group.parser, globs: group.files.map((glob) => new Minimatch(glob, { dot: true })) }));
  return compiledGroups.find((group) => group.globs.some((glob) => glob.match(name)))?.parser as never;
}

let compiledGroups: { parser: unknown; globs: Minimatch[] }[] | undefined;
