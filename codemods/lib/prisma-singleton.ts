import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { nearestPackageDirectory } from '../../src/utils/project-root';

export interface Singleton {
  /** Absolute path of the module exporting the shared client. */
  path: string;
  /** The exported name, or 'default'. */
  exportName: string;
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'build', '.next', 'coverage', 'generated', '__tests__', 'test', 'tests']);
const SOURCE_FILE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** The nearest directory above `file` with a package.json: the project the codemod works in. */
export function projectRoot(file: string): string {
  return nearestPackageDirectory(file) ?? dirname(resolve(file));
}

/** What a module exports as its Prisma client, read from its text: `export const prisma = …PrismaClient…` or `export default prisma`. */
export function exportedClient(source: string): string | undefined {
  if (!/PrismaClient\s*\(/.test(source) || /extends\s+PrismaClient/.test(source)) return undefined;
  const named = /export\s+(?:const|let|var)\s+(\w+)\s*(?::[^=\n]+)?=\s*([^;\n]*)/g;
  for (const match of source.matchAll(named)) {
    if (/PrismaClient|prisma|global/i.test(match[2])) return match[1];
  }
  const exportedObject = /module\.exports\s*=\s*\{\s*(\w+)/.exec(source);
  if (exportedObject) return exportedObject[1];
  if (/export\s+default\s+\w+|export\s+default\s+new\s+PrismaClient|module\.exports\s*=\s*\w+\s*;?\s*$/m.test(source)) return 'default';
  const cjs = /(?:module\.)?exports\.(\w+)\s*=/.exec(source);
  return cjs?.[1];
}

const cache = new Map<string, Singleton | undefined>();

/** The project's singleton module, found by scanning its sources (cached per project root for the run). */
export function findSingleton(root: string, exclude: string): Singleton | undefined {
  if (!cache.has(root)) {
    let found: Singleton | undefined;
    const walk = (directory: string, depth: number): void => {
      if (found || depth > 6) return;
      for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) walk(path, depth + 1);
        } else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts') && statSync(path).size < 200_000) {
          const exportName = exportedClient(readFileSync(path, 'utf8'));
          if (exportName) {
            found = { path, exportName };
            return;
          }
        }
      }
    };
    walk(root, 0);
    cache.set(root, found);
  }
  const singleton = cache.get(root);
  return singleton && singleton.path !== resolve(exclude) ? singleton : undefined;
}

/** Forgets what was found (tests run several projects in one process; a created singleton must be seen). */
export function rememberSingleton(root: string, singleton: Singleton | undefined): void {
  cache.set(root, singleton);
}

/** `../src/config/database` from `prisma/seed.ts`, with `.js` when the file's own relative imports carry it. */
export function importSpecifier(fromFile: string, toModule: string, withJsSuffix: boolean): string {
  let specifier = relative(dirname(resolve(fromFile)), toModule).split(sep).join('/');
  specifier = specifier.replace(/\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, '');
  if (!withJsSuffix) specifier = specifier.replace(/\/index$/, '');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return withJsSuffix ? `${specifier}.js` : specifier;
}
