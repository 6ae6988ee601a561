/**
 * What the benchmark, the sweep and the robustness tests run: discovered at run time, so they cover
 * every rule in `plugin.rules` / `plugin.configs.recommended` and every `codemods/*.ts` that exists
 * when they run, not a list written down today.
 */
import { readdirSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import jscodeshift, { type API, type FileInfo, type Options } from 'jscodeshift';
import type { Linter } from 'eslint';
import { parsersFor } from '../../codemods/lib/transform';
import { projectRoot } from './corpus';

export type Transform = (file: FileInfo, api: API, options: Options) => string | null | undefined | void | Promise<string | null | undefined | void>;

export interface Codemod {
  name: string;
  /** Absolute path of the `.ts` source (what jscodeshift's Runner is given). */
  path: string;
  transform: Transform;
}

interface PluginShape {
  rules: Record<string, unknown>;
  configs: { recommended: Linter.Config[] };
}

/**
 * Node's own `require` of a `.ts` file: under tsx it is already hooked; under vitest (which transforms
 * only what it imports itself) tsx's CommonJS hook is registered once, the way jscodeshift's Runner
 * also needs it to load `codemods/*.ts`.
 */
export function requireTypeScript(path: string): unknown {
  const extensions = (Module as unknown as { _extensions: Record<string, unknown> })._extensions;
  if (!('.ts' in extensions)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('tsx/cjs/api') as { register: () => void }).register();
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path);
}

export function loadPlugin(): PluginShape {
  const loaded = requireTypeScript(join(projectRoot(), 'src', 'index')) as PluginShape & { default?: PluginShape };
  return loaded.default && !loaded.rules ? loaded.default : loaded;
}

/** The rule ids (`deploy-safe/<rule>`) the recommended config turns on, in any of its entries. */
export function recommendedRuleIds(plugin: PluginShape): string[] {
  const ids = new Set<string>();
  for (const entry of plugin.configs.recommended) {
    for (const [id, setting] of Object.entries(entry.rules ?? {})) {
      const level = Array.isArray(setting) ? setting[0] : setting;
      if (level !== 'off' && level !== 0) ids.add(id);
    }
  }
  return [...ids].sort();
}

/**
 * The recommended config, with `node_modules` un-ignored (ESLint ignores `**\/node_modules/` by
 * default, and the corpus lives there).
 */
export function recommendedConfig(plugin: PluginShape): Linter.Config[] {
  return [{ name: 'corpus/unignore-node-modules', ignores: ['!**/node_modules/'] }, ...plugin.configs.recommended];
}

/** The same files, parsers and language options with every rule removed: the cost of parsing alone. */
export function parserOnlyConfig(plugin: PluginShape): Linter.Config[] {
  return recommendedConfig(plugin).map(({ rules: _rules, ...entry }) => entry);
}

/**
 * A config array normalised once, as the ESLint class does per directory: `Linter#verify` given a
 * plain array rebuilds and re-validates it on every call, a cost no real run pays. Falls back to the
 * plain array if ESLint's internals move.
 */
export function prepareConfig(config: Linter.Config[], cwd: string): Linter.Config[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FlatConfigArray } = require(join(dirname(require.resolve('eslint/package.json')), 'lib', 'config', 'flat-config-array.js')) as {
      FlatConfigArray: new (config: Linter.Config[], options: { basePath: string }) => Linter.Config[] & { normalizeSync(): void };
    };
    const array = new FlatConfigArray(config, { basePath: cwd });
    array.normalizeSync();
    return array;
  } catch {
    return config;
  }
}

export function codemodsDirectory(): string {
  return join(projectRoot(), 'codemods');
}

/** Every `codemods/<name>.ts` (not `codemods/lib/`), sorted by name. */
export function listCodemods(): { name: string; path: string }[] {
  return readdirSync(codemodsDirectory(), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => ({ name: entry.name.replace(/\.ts$/, ''), path: join(codemodsDirectory(), entry.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function loadCodemods(): Codemod[] {
  return listCodemods().map(({ name, path }) => {
    let loaded = requireTypeScript(path);
    while (typeof loaded === 'object' && loaded !== null && 'default' in loaded) loaded = (loaded as { default: unknown }).default;
    if (typeof loaded !== 'function') throw new Error(`${path} does not default-export a jscodeshift transform`);
    return { name, path, transform: loaded as Transform };
  });
}

/**
 * The api jscodeshift's Runner hands a transform, built in-process: calling the transform directly
 * skips the Runner's worker processes and file I/O, so what is timed is the transform itself, and the
 * order of files is fixed.
 */
export function createApi(onReport: (message: string) => void = () => {}): API {
  return { jscodeshift, j: jscodeshift, stats: () => {}, report: onReport } as unknown as API;
}

/**
 * The baseline the codemods are held against: a transform that parses every file with the parser the
 * codemods would use (same fallback order) and returns nothing.
 */
export const identityTransform: Transform = (file, api) => {
  for (const parser of parsersFor(file.path)) {
    try {
      api.jscodeshift.withParser(parser)(file.source);
      return undefined;
    } catch {
      // next parser, as createTransform does
    }
  }
  return undefined;
};

export interface CodemodResult {
  output: string | undefined;
  reports: string[];
}

/** Runs one transform on one file as jscodeshift would: a string different from the source means "write". */
export async function applyCodemod(transform: Transform, path: string, source: string, options: Options = {}): Promise<CodemodResult> {
  const reports: string[] = [];
  const result = await transform({ path, source }, createApi((message) => reports.push(message)), options);
  return { output: typeof result === 'string' && result !== source ? result : undefined, reports };
}
