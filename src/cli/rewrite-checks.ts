/**
 * What `deploy-safe fix` checks before it keeps a rewrite, beside the lint `check` runs (parse errors,
 * new findings) and the shell check (src/deploy-files/shell-syntax.ts): the project still type-checks where
 * it did, and files are compared byte for byte so a refused rewrite is put back exactly as it was.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Puts a file back as it was before the codemods ran (deletes it if they created it). */
export function restoreFile(dir: string, file: string, original: Buffer | undefined): void {
  const path = join(dir, file);
  if (original === undefined) rmSync(path, { force: true });
  else writeFileSync(path, original);
}

export interface TypeErrors {
  /** `file(line,col): error TS1234: message` keyed by file, line numbers left out so edits above do not count as new. */
  byFile: Map<string, string[]>;
  seconds: number;
}

/**
 * The project's own `tsc --noEmit`, where it has a tsconfig.json and its own TypeScript; undefined
 * (with the reason) otherwise.
 */
export function typeCheck(dir: string): TypeErrors | { skipped: string } {
  if (!existsSync(join(dir, 'tsconfig.json'))) return { skipped: 'no tsconfig.json' };
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) return { skipped: "the project's TypeScript is not installed (node_modules/typescript)" };
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 256 << 20,
  });
  if (result.error) return { skipped: `tsc did not run: ${result.error.message}` };
  const byFile = new Map<string, string[]>();
  for (const line of result.stdout.split('\n')) {
    const match = /^(.+?)\(\d+,\d+\): error (TS\d+: .*)$/.exec(line.trim());
    if (!match) continue;
    const file = match[1].split('\\').join('/');
    byFile.set(file, [...(byFile.get(file) ?? []), match[2]]);
  }
  return { byFile, seconds: (Date.now() - started) / 1000 };
}

/** Errors in `after` that `before` did not have, by file (each message counted, so a second copy is new). */
export function newTypeErrors(before: TypeErrors, after: TypeErrors): Map<string, string[]> {
  const added = new Map<string, string[]>();
  for (const [file, errors] of after.byFile) {
    const remaining = [...(before.byFile.get(file) ?? [])];
    for (const error of errors) {
      const index = remaining.indexOf(error);
      if (index === -1) added.set(file, [...(added.get(file) ?? []), error]);
      else remaining.splice(index, 1);
    }
  }
  return added;
}
