import { readFileSync } from 'node:fs';
import type * as JsoncParser from 'jsonc-eslint-parser' with { 'resolution-mode': 'import' };
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ExportedPrismaClient } from '../../src/prisma/prisma-client-export';
import { nearestPackageDirectory } from '../../src/core/project-root';
import { exportsOf, packageClientBuilders, packageClientModules } from '../../src/prisma/prisma-client-index';
import { TEST_AND_SCRIPT_FILE_GLOBS, isIgnoredFile } from '../../src/core/test-files';
import rule from '../../src/rules/no-multiple-prisma-clients';
import { verifyWithPluginRule } from './apply-rule-fixes';

// ES module only; see src/configs/deploy-files.ts.
const jsoncParser: typeof JsoncParser = require('jsonc-eslint-parser');

export interface Singleton {
  /** Absolute path of the module exporting the shared client. */
  path: string;
  /** The exported name, or 'default'. */
  exportName: string;
  /** How it is exported: a `require()` of an ES-module default export needs `.default`. */
  syntax: ExportedPrismaClient['syntax'];
  /** The client's settings other than its connection (see clientSettings); empty for none. */
  options?: string;
}

export const TYPESCRIPT_FILE = /\.(?:ts|tsx|mts|cts)$/;

/** The nearest directory above `file` with a package.json: the project the codemod works in. */
export function projectRoot(file: string): string {
  return nearestPackageDirectory(file) ?? dirname(resolve(file));
}

/** What a module exports as the app's Prisma client (a second datasource's client is not it), by the rule's own analysis; nothing when it does not parse. */
export function exportedClients(path: string, source: string): Omit<Singleton, 'path'>[] {
  return exportsOf(path, source).map(({ name, syntax, settings }) => ({ exportName: name, syntax, options: settings }));
}

/** A named export over the default one (`export const prisma` and `export default prisma` both exist: `{ prisma }`). */
export function preferredExport(exports: Omit<Singleton, 'path'>[]): Omit<Singleton, 'path'> | undefined {
  return exports.find((binding) => binding.exportName !== 'default') ?? exports[0];
}

export interface SingletonSearch {
  /** The module to import the client from. */
  singleton?: Singleton;
  /** Every module of the project that exports a client (more than one: the choice is worth a report). */
  candidates: Singleton[];
}

const created = new Map<string, Singleton>();

/**
 * The project's singleton module: the conventional one among the modules exporting a client (the rule's
 * package index), or the one this run created (a dry run does not write it).
 */
export function findSingleton(root: string, exclude: string): SingletonSearch {
  const made = created.get(root);
  const candidates = made
    ? [made]
    : packageClientModules(root).flatMap(({ path, exports }) => {
        const binding = exports.find((item) => item.name !== 'default') ?? exports[0];
        return binding ? [{ path, exportName: binding.name, syntax: binding.syntax, options: binding.settings }] : [];
      });
  const others = candidates.filter((candidate) => candidate.path !== resolve(exclude));
  return { singleton: others[0], candidates: others };
}

/** Records the singleton the codemod created, so the next files of the run import it. */
export function rememberSingleton(root: string, singleton: Singleton): void {
  created.set(root, singleton);
}

/**
 * Whether JavaScript files of the project go through TypeScript, so a `.js` file can import a `.ts` module: `allowJs`
 * in the nearest tsconfig.json between the file and the project root (or in what it `extends`, by relative path).
 */
export function compilesJavaScript(file: string, root: string): { allowJs: boolean; tsconfig?: string } {
  for (let directory = dirname(resolve(file)); ; directory = dirname(directory)) {
    const tsconfig = join(directory, 'tsconfig.json');
    const options = compilerOptions(tsconfig, 0);
    if (options) return { allowJs: options.allowJs === true, tsconfig };
    if (directory === root || dirname(directory) === directory) return { allowJs: false };
  }
}

function compilerOptions(path: string, depth: number): Record<string, unknown> | undefined {
  let config: { compilerOptions?: Record<string, unknown>; extends?: unknown };
  try {
    config = (jsoncParser.getStaticJSONValue(jsoncParser.parseJSON(readFileSync(path, 'utf8'))) ?? {}) as typeof config;
  } catch {
    return undefined;
  }
  const own = config.compilerOptions ?? {};
  if ('allowJs' in own || depth > 4) return own;
  const bases = (Array.isArray(config.extends) ? config.extends : [config.extends]).filter((base): base is string => typeof base === 'string' && base.startsWith('.'));
  for (const base of bases.reverse()) {
    const inherited = compilerOptions(resolve(dirname(path), base.endsWith('.json') ? base : `${base}.json`), depth + 1);
    if (inherited && 'allowJs' in inherited) return { ...inherited, ...own };
  }
  return own;
}

/** `../src/config/database` from `prisma/seed.ts`, with `.js` when the file's own relative imports carry it. */
export function importSpecifier(fromFile: string, toModule: string, withJsSuffix: boolean): string {
  let specifier = relative(dirname(resolve(fromFile)), toModule).split(sep).join('/');
  specifier = specifier.replace(/\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, '');
  if (!withJsSuffix) specifier = specifier.replace(/\/index$/, '');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return withJsSuffix ? `${specifier}.js` : specifier;
}

/** Packages that make the app's client for its framework: nestjs-prisma's PrismaModule provides PrismaService. */
const CLIENT_PROVIDING_PACKAGES = ['nestjs-prisma'];

/**
 * Where the app's client is made when a framework holds it and no module exports it: the package's modules
 * (tests and scripts aside, and `except`) whose client the rule accepts where it is (a Hapi or Fastify
 * plugin, a Nest service; read with the rule itself, as ESLint would report it there), relative to
 * `projectDir`, and a dependency that provides it (`the nestjs-prisma package`).
 */
export function frameworkHeldClients(projectDir: string, except: string): string[] {
  let dependencies: Record<string, unknown> = {};
  try {
    dependencies = (JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, unknown> }).dependencies ?? {};
  } catch {
    // no readable package.json: the modules alone say
  }
  const packages = CLIENT_PROVIDING_PACKAGES.filter((name) => name in dependencies).map((name) => `the ${name} package`);
  const modules = packageClientBuilders(projectDir).filter((path) => {
    if (path === resolve(except) || isIgnoredFile(path, projectDir, TEST_AND_SCRIPT_FILE_GLOBS)) return false;
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch {
      return false;
    }
    return verifyWithPluginRule('no-multiple-prisma-clients', rule, source, path).length === 0;
  });
  return [...modules.map((path) => relative(projectDir, path).split(sep).join('/')), ...packages];
}
