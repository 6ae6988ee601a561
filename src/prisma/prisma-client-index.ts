import { readFileSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { SOURCE_FILE, walkSourceTree } from '../core/source-tree';
import { parseForESLint } from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { clientSettings, pointsToSeparateDatabase } from './prisma-client';
import { findExportedPrismaClients, type ExportedPrismaClient } from './prisma-client-export';

/** A module of the package that exports the app's Prisma client (a second datasource's client is not it). */
export interface ClientModule {
  /** Absolute path. */
  path: string;
  /** Its client exports, named export first, each with its client's settings (see clientSettings). */
  exports: Array<Pick<ExportedPrismaClient, 'name' | 'syntax'> & { settings: string }>;
}

/** Besides dependencies and build output: Prisma's generated client and the tests (their clients are not the app's). */
const NOT_APP_DIRECTORIES = new Set(['generated', '__tests__', '__mocks__', 'test', 'tests', 'e2e']);
export const TEST_FILE = /\.(?:test|spec)\.\w+$|\.d\.[cm]?ts$/;
const MAX_DEPTH = 6;
const MAX_FILE_SIZE = 200_000;

/**
 * Where projects keep their shared client, most conventional first (package-relative, without extension or
 * `/index`). When several modules export a client, the one earliest here is the shared one.
 */
const CONVENTIONAL_MODULES = [
  'src/lib/prisma', 'lib/prisma', 'src/prisma', 'prisma', 'src/server/db', 'src/lib/db', 'lib/db', 'src/db', 'db',
  'src/config/database', 'config/database', 'src/config/prisma', 'config/prisma', 'src/database', 'database',
  'src/lib/prisma-client', 'src/prisma/client', 'src/prisma/prisma-client', 'src/db/client', 'src/db/prisma',
  'src/utils/prisma', 'utils/prisma', 'src/services/prisma',
];

/** Conventional locations first, then the shallower path, then alphabetical: the same choice on every run. */
export function compareClientModules(root: string, a: string, b: string): number {
  const key = (path: string) => {
    const module = relative(root, path).split(sep).join('/').replace(SOURCE_FILE, '').replace(/\/index$/, '');
    const rank = CONVENTIONAL_MODULES.indexOf(module);
    return { rank: rank === -1 ? CONVENTIONAL_MODULES.length : rank, depth: module.split('/').length, path };
  };
  const [left, right] = [key(a), key(b)];
  return left.rank - right.rank || left.depth - right.depth || (left.path < right.path ? -1 : left.path > right.path ? 1 : 0);
}

interface FileEntry {
  mtimeMs: number;
  size: number;
  exports: ClientModule['exports'];
  /** It constructs a client (`new PrismaClient(…)`) or extends the class (a Nest PrismaService). */
  builds: boolean;
}

const BUILDS_CLIENT = /\b(?:new|extends)\s+PrismaClient\b/;

// One index per package root for the whole ESLint run (and editor session): a file is parsed again only when its
// mtime or size changed, as eslint-plugin-import's ExportMap does. Directories are listed on each query (cheap;
// the rule asks only for files that create a module-level client).
const packages = new Map<string, Map<string, FileEntry>>();

/** The package's modules that export a Prisma client, conventional location first. */
export function packageClientModules(root: string): ClientModule[] {
  return [...indexedFiles(root)]
    .filter(([, entry]) => entry.exports.length > 0)
    .map(([path, entry]) => ({ path, exports: entry.exports }))
    .sort((a, b) => compareClientModules(root, a.path, b.path));
}

/** The package's modules (tests aside) that construct a Prisma client or extend its class, exported or not, by path. */
export function packageClientBuilders(root: string): string[] {
  return [...indexedFiles(root)].filter(([, entry]) => entry.builds).map(([path]) => path).sort();
}

function indexedFiles(root: string): Map<string, FileEntry> {
  let files = packages.get(root);
  if (!files) packages.set(root, (files = new Map()));
  const seen = new Set<string>();
  walkSourceTree(root, { maxDepth: MAX_DEPTH, skipDirectory: (name) => NOT_APP_DIRECTORIES.has(name) }, (path, entry) => {
    if (!SOURCE_FILE.test(entry.name) || TEST_FILE.test(entry.name)) return;
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.size > MAX_FILE_SIZE) return;
    seen.add(path);
    const cached = files.get(path);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return;
    let source = '';
    try {
      source = readFileSync(path, 'utf8');
    } catch {
      // unreadable: no exports
    }
    const mentions = /PrismaClient/.test(source);
    files.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, exports: mentions ? exportsOf(path, source) : [], builds: mentions && BUILDS_CLIENT.test(source) });
  });
  for (const path of files.keys()) if (!seen.has(path)) files.delete(path);
  return files;
}

/** What a module exports as the app's client, read with the rule's own analysis; nothing when it does not parse. */
export function exportsOf(path: string, source: string): ClientModule['exports'] {
  let parsed;
  try {
    parsed = parseForESLint(source, { range: true, loc: true, sourceType: 'module', ecmaVersion: 'latest', ecmaFeatures: { jsx: !/\.(?:ts|mts|cts)$/.test(path) }, filePath: path });
  } catch {
    return [];
  }
  const { ast, scopeManager, visitorKeys } = parsed;
  setParents(ast as unknown as TSESTree.Node, visitorKeys as Record<string, readonly string[]>);
  const getScope = (node: TSESTree.Node): TSESLint.Scope.Scope => {
    for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
      const scope = scopeManager?.acquire(current as never, true);
      if (scope) return (scope.type === 'function-expression-name' ? scope.childScopes[0] : scope) as unknown as TSESLint.Scope.Scope;
    }
    return scopeManager?.globalScope as unknown as TSESLint.Scope.Scope;
  };
  const found = findExportedPrismaClients(ast as unknown as TSESTree.Program, getScope)
    .filter((binding) => !binding.constructions.every((client) => pointsToSeparateDatabase(client.arguments[0], getScope(client))))
    .map(({ name, syntax, constructions }) => {
      const options = constructions[0]?.arguments[0];
      return { name, syntax, settings: clientSettings(options && source.slice(options.range[0], options.range[1])) };
    });
  return [...found.filter((binding) => binding.name !== 'default'), ...found.filter((binding) => binding.name === 'default')];
}

function setParents(node: TSESTree.Node, keys: Record<string, readonly string[]>): void {
  for (const key of keys[node.type] ?? []) {
    const value = (node as unknown as Record<string, unknown>)[key];
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof (child as TSESTree.Node).type === 'string') {
        (child as { parent?: TSESTree.Node }).parent = node;
        setParents(child as TSESTree.Node, keys);
      }
    }
  }
}
