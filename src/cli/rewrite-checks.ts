/**
 * What `deploy-safe fix` checks before it keeps a rewrite: the shell it wrote parses, the project
 * still type-checks where it did, and files are compared byte for byte so a refused rewrite is put
 * back exactly as it was. (Parse errors and new findings come from the same lint `check` runs.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type * as TomlParser from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import type * as YamlParser from 'yaml-eslint-parser' with { 'resolution-mode': 'import' };
import { commandFileKind, commandLinesOf } from '../parsers/shell-lines';
import { COMMAND_KEYS } from '../utils/deploy-file-commands';
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

/**
 * The shell command lines a deploy file holds: package.json scripts, platform config commands
 * (railway/vercel JSON, render/compose YAML, fly/railway/nixpacks TOML), Procfile entries, Dockerfile
 * RUN/CMD/ENTRYPOINT in shell form, whole shell scripts. Undefined for files that hold none, or that
 * do not parse (the lint reports those).
 */
export function shellCommandsOf(file: string, text: string): string[] | undefined {
  const name = basename(file);
  if (commandFileKind(file)) return commandLinesOf(text, file).flatMap((line) => (line.text === undefined ? [] : [line.text]));
  try {
    if (name === 'package.json') {
      const scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts ?? {};
      return Object.values(scripts).filter((value): value is string => typeof value === 'string');
    }
    if (/\.json$/.test(name)) return commandValues(JSON.parse(text));
    // ES-module-only parsers, loaded with require() (Node 20.19+), as the recommended config does.
    if (/\.ya?ml$/.test(name)) {
      const yaml: typeof YamlParser = require('yaml-eslint-parser');
      return commandValues(yaml.getStaticYAMLValue(yaml.parseYAML(text)));
    }
    if (/\.toml$/.test(name)) {
      const toml: typeof TomlParser = require('toml-eslint-parser');
      return commandValues(toml.getStaticTOMLValue(toml.parseTOML(text)));
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** String values under the keys platforms run as commands, anywhere in a config. */
function commandValues(value: unknown, key?: string): string[] {
  if (typeof value === 'string') return key !== undefined && COMMAND_KEYS.has(key) ? [value] : [];
  if (Array.isArray(value)) {
    // `cmds = ["…", "…"]` is a list of command lines; `command: ["node", "x.js"]` is one argv (no shell).
    return key === 'cmds' ? value.filter((item): item is string => typeof item === 'string') : value.flatMap((item) => commandValues(item));
  }
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([name, item]) => commandValues(item, name));
  return [];
}

const SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';

/** The shell's syntax error for a command line, or undefined when it parses (`bash -n`: read, not run). */
export function shellSyntaxError(command: string): string | undefined {
  const result = spawnSync(SHELL, ['-n', '-c', command], { encoding: 'utf8', timeout: 10_000 });
  if (result.error) return undefined; // no shell to ask: nothing to say
  if (result.status === 0) return undefined;
  return result.stderr.trim().split('\n')[0]?.replace(/^\/bin\/(?:ba)?sh: (?:-c: )?/, '') || `exit ${result.status}`;
}

/** Shell commands present in the rewritten file but not in the original that do not parse. */
export function invalidNewCommands(file: string, before: string | undefined, after: string): { command: string; error: string }[] {
  const written = shellCommandsOf(file, after);
  if (!written) return [];
  const existing = new Set(before === undefined ? [] : (shellCommandsOf(file, before) ?? []));
  return written
    .filter((command) => !existing.has(command))
    .flatMap((command) => {
      const error = shellSyntaxError(command);
      return error ? [{ command, error }] : [];
    });
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
