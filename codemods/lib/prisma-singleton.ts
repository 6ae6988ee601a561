import { parse } from '@typescript-eslint/typescript-estree';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type * as JsoncParser from 'jsonc-eslint-parser' with { 'resolution-mode': 'import' };
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { pointsToSeparateDatabase } from '../../src/prisma/prisma-client';
import { findExportedPrismaClients, type ExportedPrismaClient } from '../../src/prisma/prisma-client-export';
import { nearestPackageDirectory } from '../../src/core/project-root';
import { compareClientModules, SKIPPED_DIRECTORIES, SOURCE_FILE } from '../../src/prisma/prisma-client-index';
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

/** Where a client connects: the rule has already told these apart (a client for another database is not reported). */
const CONNECTION_OPTIONS = new Set(['adapter', 'datasourceUrl', 'datasources', 'accelerateUrl']);

/**
 * A client's constructor options without its connection, compared as code (comments and layout do not
 * count): `{ log: ['query'], adapter }` → `log:['query']`. Options that are not an object literal are
 * kept whole. Two clients with different settings behave differently (logging, timeouts, omitted fields).
 */
export function clientSettings(text: string | undefined): string {
  if (!text || text.trim() === '') return '';
  const normalize = (code: string): string => code.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '').replace(/\s+/g, '').replace(/,(?=[}\]])/g, '');
  let expression: TSESTree.Node | undefined;
  try {
    const statement = parse(`(${text})`, { range: true }).body[0];
    expression = statement?.type === 'ExpressionStatement' ? statement.expression : undefined;
  } catch {
    return normalize(text);
  }
  if (expression?.type !== 'ObjectExpression') return normalize(text);
  return expression.properties
    .filter((property) => !(property.type === 'Property' && property.key.type === 'Identifier' && CONNECTION_OPTIONS.has(property.key.name)))
    .map((property) => normalize(text.slice(property.range[0] - 1, property.range[1] - 1)))
    .sort()
    .join(',');
}

const TEST_FILE = /\.(?:test|spec)\.\w+$|\.d\.[cm]?ts$/;
export const TYPESCRIPT_FILE = /\.(?:ts|tsx|mts|cts)$/;

/** The nearest directory above `file` with a package.json: the project the codemod works in. */
export function projectRoot(file: string): string {
  return nearestPackageDirectory(file) ?? dirname(resolve(file));
}

/**
 * What a module exports as the app's Prisma client (a second datasource's client is not it), by the rule's own
 * analysis (`findExportedPrismaClients`) run through ESLint; undefined when the module does not parse.
 */
export function exportedClients(path: string, source: string): Omit<Singleton, 'path'>[] | undefined {
  let found: Omit<Singleton, 'path'>[] = [];
  const probe = {
    meta: { type: 'problem', schema: [] },
    create: (context: Readonly<TSESLint.RuleContext<string, []>>) => ({
      'Program:exit'(program: TSESTree.Program) {
        const getScope = (node: TSESTree.Node) => context.sourceCode.getScope(node);
        found = findExportedPrismaClients(program, getScope)
          .filter((binding) => !binding.constructions.every((client) => pointsToSeparateDatabase(client.arguments[0], getScope(client))))
          .map(({ name, syntax, constructions }) => {
            const [options] = constructions[0]?.arguments ?? [];
            return { exportName: name, syntax, options: clientSettings(options && context.sourceCode.getText(options)) };
          });
      },
    }),
  };
  const messages = verifyWithPluginRule('prisma-client-export', probe, source, path);
  return messages.some((message) => message.fatal) ? undefined : found;
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

const cache = new Map<string, Singleton[]>();

/** The project's singleton module, found by reading its sources that mention PrismaClient (cached per project root for the run). */
export function findSingleton(root: string, exclude: string): SingletonSearch {
  if (!cache.has(root)) {
    const found: Singleton[] = [];
    const walk = (directory: string, depth: number): void => {
      if (depth > 6) return;
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) walk(path, depth + 1);
        } else if (SOURCE_FILE.test(entry.name) && !TEST_FILE.test(entry.name) && statSync(path).size < 200_000) {
          const source = readFileSync(path, 'utf8');
          const binding = /PrismaClient/.test(source) ? preferredExport(exportedClients(path, source) ?? []) : undefined;
          if (binding) found.push({ path, ...binding });
        }
      }
    };
    walk(root, 0);
    cache.set(root, found.sort((a, b) => compareClientModules(root, a.path, b.path)));
  }
  const candidates = cache.get(root)!.filter((candidate) => candidate.path !== resolve(exclude));
  return { singleton: candidates[0], candidates };
}

/** Records the singleton the codemod created, so the next files of the run import it. */
export function rememberSingleton(root: string, singleton: Singleton): void {
  cache.set(root, [singleton]);
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
