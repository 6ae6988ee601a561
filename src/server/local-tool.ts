import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { nearestPackageDirectory } from '../core/project-root';

const binPackages = new Map<string, boolean>();

/**
 * Whether the file belongs to a command-line tool: its nearest package.json has a `bin` entry. Such a
 * package is installed and run on a user's machine (`npx dub login` opening a local OAuth callback
 * server), not deployed behind a platform's proxy. Only files on disk are looked up, and only a package.json
 * at or below ESLint's working directory counts: one above it (a tool the project sits inside) says nothing
 * about the project.
 */
export function isInCliPackage(filename: string, cwd: string): boolean {
  if (!isAbsolute(filename) || !existsSync(filename)) return false;
  const directory = nearestPackageDirectory(filename);
  if (!directory) return false;
  const fromCwd = relative(resolve(cwd), directory);
  if (fromCwd.startsWith('..') || isAbsolute(fromCwd)) return false;
  let known = binPackages.get(directory);
  if (known === undefined) {
    known = false;
    try {
      const { bin } = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { bin?: unknown };
      known = typeof bin === 'string' ? bin.length > 0 : typeof bin === 'object' && bin !== null && Object.keys(bin).length > 0;
    } catch {
      // an unreadable package.json says nothing about the package
    }
    binPackages.set(directory, known);
  }
  return known;
}
