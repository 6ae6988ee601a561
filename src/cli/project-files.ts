import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { NOT_SOURCE_DIRECTORIES } from '../core/source-tree';


export const IGNORE_PATTERNS = NOT_SOURCE_DIRECTORIES.map((name) => `**/${name}/**`);

/**
 * The project's own `.gitignore` (or another file in its syntax, such as ESLint 8's `.eslintignore`),
 * as flat-config ignore globs. Covers the common forms (`name`, `dir/`, `/rooted`, `*.ext`); negations
 * are dropped rather than guessed.
 */
export function gitignorePatterns(dir: string, name = '.gitignore'): string[] {
  const file = join(dir, name);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'))
    .map((line) => {
      const rooted = line.startsWith('/');
      const pattern = (rooted ? line.slice(1) : line).replace(/\/$/, '');
      const base = rooted || pattern.includes('/') ? pattern : `**/${pattern}`;
      return line.endsWith('/') ? `${base}/**` : base;
    })
    .flatMap((pattern) => (pattern.endsWith('/**') ? [pattern] : [pattern, `${pattern}/**`]));
}

/** Every regular file under `dir`, relative paths, skipping the ignored directories. */
/** The text of `file` (relative to `dir`) as it is now, or undefined when it is gone or unreadable. */
export function textNow(dir: string, file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}

export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const ignored = new Set(NOT_SOURCE_DIRECTORIES);
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!ignored.has(entry.name)) walk(path);
      } else if (entry.isFile() || (entry.isSymbolicLink() && isFile(path))) {
        files.push(relative(dir, path).split(sep).join('/'));
      }
    }
  };
  walk(dir);
  return files.sort();
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Entries under `dir` that cannot be read (a dangling symbolic link, a file or directory without read
 * permission), with the reason. ESLint stops a whole run at the first one, so `check` leaves them out
 * and names them instead.
 */
export function listUnreadable(dir: string): { file: string; reason: string }[] {
  const unreadable: { file: string; reason: string }[] = [];
  const ignored = new Set(NOT_SOURCE_DIRECTORIES);
  const note = (path: string, error: unknown): void => {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'a symbolic link to a file that does not exist' : `cannot be read (${code ?? String(error)})`;
    unreadable.push({ file: relative(dir, path).split(sep).join('/'), reason });
  };
  const walk = (current: string): void => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      note(current, error);
      return;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!ignored.has(entry.name)) walk(path);
        continue;
      }
      try {
        statSync(path);
        accessSync(path, constants.R_OK);
      } catch (error) {
        note(path, error);
      }
    }
  };
  walk(dir);
  return unreadable;
}
