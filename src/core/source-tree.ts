import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** Directories that hold no code of the project's own: dependencies, version control, build output, platform state. */
export const NOT_SOURCE_DIRECTORIES: readonly string[] = ['node_modules', '.git', 'dist', 'build', 'out', '.next', '.nuxt', '.turbo', 'coverage', '.vercel', '.railway'];

/** Code files the rules read, in every module flavour. */
export const SOURCE_FILE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

export interface WalkOptions {
  /** How many directory levels below the root to enter (the root's own entries are depth 0). */
  maxDepth?: number;
  /** Directories not to enter besides hidden ones and NOT_SOURCE_DIRECTORIES (a generated client, tests, a nested package). */
  skipDirectory?: (name: string, path: string) => boolean;
}

/**
 * Calls `onFile` for each regular file under `root`, depth first, in directory order, without entering
 * hidden directories, NOT_SOURCE_DIRECTORIES or those `skipDirectory` names; `onFile` returns false to
 * stop the walk. Unreadable directories are passed over.
 */
export function walkSourceTree(root: string, options: WalkOptions, onFile: (path: string, entry: Dirent) => boolean | void): void {
  const skipped = new Set(NOT_SOURCE_DIRECTORIES);
  let stopped = false;
  const visit = (directory: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (stopped) return;
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') || skipped.has(entry.name) || depth >= (options.maxDepth ?? Infinity)) continue;
        if (options.skipDirectory?.(entry.name, path)) continue;
        visit(path, depth + 1);
      } else if (entry.isFile() && onFile(path, entry) === false) {
        stopped = true;
      }
    }
  };
  visit(root, 0);
}
