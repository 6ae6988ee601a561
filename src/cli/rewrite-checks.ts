/**
 * What `deploy-safe fix` checks before it keeps a rewrite, beside the lint `check` runs (parse errors,
 * new findings), the shell check (src/deploy-files/shell-syntax.ts) and the type check (type-check.ts):
 * files are compared byte for byte, so a refused rewrite is put back exactly as it was.
 */
import { readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NOT_SOURCE_DIRECTORIES } from '../core/source-tree';
import { listFiles } from './project-files';

/** Every file of the project (ignored directories left out), by relative path. */
export function snapshotFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const file of listFiles(dir)) {
    try {
      files.set(file, readFileSync(join(dir, file)));
    } catch {
      // unreadable: no codemod can have written it either
    }
  }
  return files;
}

/** Files created, changed or deleted between two snapshots. */
export function changedFiles(before: ReadonlyMap<string, Buffer>, after: ReadonlyMap<string, Buffer>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => {
    const old = before.get(path);
    const next = after.get(path);
    return old === undefined || next === undefined || !old.equals(next);
  }).sort();
}

/** Every directory under `dir` (relative paths; ignored directories left out), to tell the ones a codemod created. */
export function listDirectories(dir: string): Set<string> {
  const directories = new Set<string>();
  const ignored = new Set(NOT_SOURCE_DIRECTORIES);
  const walk = (current: string): void => {
    for (const entry of readdirSync(join(dir, current), { withFileTypes: true })) {
      if (!entry.isDirectory() || ignored.has(entry.name)) continue;
      const path = current ? `${current}/${entry.name}` : entry.name;
      directories.add(path);
      walk(path);
    }
  };
  walk('');
  return directories;
}

/**
 * Puts a file back as it was before the codemods ran. A file they created is deleted, with the
 * directories created for it (`src/lib/`) when nothing else is in them.
 */
export function restoreFile(dir: string, file: string, original: Buffer | undefined, originalDirectories: ReadonlySet<string>): void {
  const path = join(dir, file);
  if (original !== undefined) {
    writeFileSync(path, original);
    return;
  }
  rmSync(path, { force: true });
  for (let parent = dirname(file); parent !== '.' && !originalDirectories.has(parent); parent = dirname(parent)) {
    if (readdirSync(join(dir, parent)).length > 0) break;
    rmdirSync(join(dir, parent));
  }
}
