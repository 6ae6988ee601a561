/**
 * What a project's deploy runs, followed across files: from each platform entry (Procfile,
 * railway.json/toml, render.yaml, fly.toml, vercel.json, nixpacks.toml, app.json, Dockerfiles,
 * docker-compose files) through `npm/pnpm/yarn/bun run`, `npm-run-all`/`run-s`/`run-p` and the shell
 * files they execute (`sh start.sh`, `./scripts/start.sh`, `. ./env.sh`), to every package.json script
 * and shell file on the way, each with the path that reaches it ("railway.toml deploy.startCommand →
 * npm run start:with-migration → sh scripts/start.sh").
 *
 * ESLint lints one file at a time, so the rules ask for the project's paths from each file they lint.
 * They are computed once per project directory and kept while none of the files they were read from
 * changed: every file read (entries, package.json, shell files) and the directories searched are
 * stamped with their mtime and checked on each call (a `stat` each), so an edit in an editor session
 * or between runs is seen on the next lint. The cache is bounded (a few projects).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type * as JsoncParser from 'jsonc-eslint-parser' with { 'resolution-mode': 'import' };
import type * as TomlParser from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import type * as YamlParser from 'yaml-eslint-parser' with { 'resolution-mode': 'import' };
import { nearestPackageDirectory } from '../core/project-root';
import { NOT_SOURCE_DIRECTORIES } from '../core/source-tree';
import { commandSitesOf, isDevFile, type CommandSite } from './deploy-file-commands';
import { scriptsRunBy } from './package-scripts';
import { expandCommands, programIndex, programName, splitCommandLine, type ShellCommand } from './shell-command';
import * as shellLines from './shell-lines';

export interface DeployPaths {
  /** The project's directory (the nearest with a package.json). */
  projectDir: string;
  /** Whether the project has any platform entry: only then is "no path reaches it" known. */
  hasEntries: boolean;
  /** package.json script name → the path that runs it. */
  scripts: Map<string, string[]>;
  /** Absolute path of a shell file → the path that runs it. */
  shellFiles: Map<string, string[]>;
}

const ENTRY = /^(?:Procfile(?:\..+)?|railway\.(?:json|toml)|render\.ya?ml|fly(?:\..+)?\.toml|vercel\.json|nixpacks\.toml|app\.json|(?:Dockerfile|Containerfile)(?:\..+)?|.+\.[Dd]ockerfile|docker-compose.*\.ya?ml|compose\.ya?ml)$/;
const SKIPPED_DIRECTORIES = new Set([...NOT_SOURCE_DIRECTORIES, 'tmp']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'source', '.']);

interface Cached {
  stamps: Map<string, number>;
  paths: DeployPaths;
}

const cache = new Map<string, Cached>();
const CACHE_LIMIT = 8;

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The deploy paths of the project `file` belongs to (its nearest directory with a package.json). */
export function deployPathsFor(file: string): DeployPaths | undefined {
  const projectDir = nearestPackageDirectory(file);
  if (!projectDir) return undefined;
  const cached = cache.get(projectDir);
  if (cached && [...cached.stamps].every(([path, stamp]) => mtime(path) === stamp)) return cached.paths;
  const stamps = new Map<string, number>();
  const paths = computeDeployPaths(projectDir, (path) => stamps.set(path, mtime(path)));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(projectDir, { stamps, paths });
  return paths;
}

function readText(path: string, stamp: (path: string) => void): string | undefined {
  stamp(path);
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function listDirectory(directory: string, stamp: (path: string) => void): string[] {
  stamp(directory);
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

/** The platform entry files at the project's top level and one directory down (`docker/Dockerfile`). */
function entryFiles(projectDir: string, stamp: (path: string) => void): string[] {
  const files: string[] = [];
  for (const name of listDirectory(projectDir, stamp)) {
    const path = join(projectDir, name);
    if (ENTRY.test(name)) files.push(path);
    else if (!name.startsWith('.') && !SKIPPED_DIRECTORIES.has(name) && !name.includes('.')) {
      let directory = false;
      try {
        directory = statSync(path).isDirectory();
      } catch {
        directory = false;
      }
      if (directory) for (const inner of listDirectory(path, stamp)) if (/^(?:Dockerfile|Containerfile)(?:\..+)?$|.+\.[Dd]ockerfile$/.test(inner)) files.push(join(path, inner));
    }
  }
  return files.filter((path) => !isDevFile(path)).sort();
}

// ES-module-only parsers, loaded with require() (Node 20.19+), as the recommended config does.
const jsonc = (): typeof JsoncParser => require('jsonc-eslint-parser');
const yaml = (): typeof YamlParser => require('yaml-eslint-parser');
const toml = (): typeof TomlParser => require('toml-eslint-parser');

/** The command sites of an entry file, read with the parser the recommended config gives it. */
function entrySites(path: string, source: string): CommandSite[] {
  const name = basename(path);
  try {
    if (name === 'app.json') {
      // Heroku's app.json: `scripts.postdeploy`, `scripts.pr-predestroy`.
      const scripts = (JSON.parse(source) as { scripts?: Record<string, unknown> }).scripts ?? {};
      return Object.entries(scripts).flatMap(([key, value]) =>
        typeof value === 'string' ? [{ where: `app.json scripts.${key}`, commands: expandCommands(splitCommandLine(value)), deployTime: true, checkDataLoss: true, checkSequence: true, path: ['scripts', key], range: [0, 0] as [number, number] }] : [],
      );
    }
    const parser = /\.json$/.test(name) ? jsonc() : /\.ya?ml$/.test(name) ? yaml() : /\.toml$/.test(name) ? toml() : shellLines;
    const parsed = parser.parseForESLint(source, { filePath: path }) as { ast: unknown; services?: unknown };
    return commandSitesOf(path, source, parsed.ast, parsed.services).filter((site) => site.deployTime);
  } catch {
    return [];
  }
}

const commandText = (command: ShellCommand): string => command.words.map((word) => word.value).join(' ');

/** The shell file a command runs (`sh start.sh`, `bash -e ./x.sh`, `./scripts/start.sh`, `. ./env.sh`), as written. */
function shellFileArgument(command: ShellCommand): string | undefined {
  const index = programIndex(command.words);
  if (index < 0) return undefined;
  const program = command.words[index].value;
  if (SHELLS.has(programName(command.words[index]))) {
    for (const word of command.words.slice(index + 1)) {
      if (/^-[a-z]*c[a-z]*$/.test(word.value)) return undefined; // `sh -c '…'`: read as commands already
      if (!word.value.startsWith('-')) return word.value;
    }
    return undefined;
  }
  return /\.(?:sh|bash)$/.test(program) ? program : undefined;
}

function computeDeployPaths(projectDir: string, stamp: (path: string) => void = () => {}): DeployPaths {
  const scripts = new Map<string, string[]>();
  const shellFiles = new Map<string, string[]>();
  const packageText = readText(join(projectDir, 'package.json'), stamp);
  let bodies: Record<string, unknown> = {};
  try {
    bodies = (JSON.parse(packageText ?? '{}') as { scripts?: Record<string, unknown> }).scripts ?? {};
  } catch {
    bodies = {};
  }
  const names = new Set(Object.keys(bodies).filter((name) => typeof bodies[name] === 'string'));
  let shellIndex: string[] | undefined;
  /** A shell file named in a command: beside the file that names it, at the project root, or by name anywhere in the project. */
  const resolveShellFile = (written: string, baseDir: string): string | undefined => {
    if (/[$`*?]/.test(written)) return undefined;
    const candidates = written.startsWith('/') ? [] : [resolve(baseDir, written), resolve(projectDir, written)];
    for (const candidate of candidates) {
      if (mtime(candidate) >= 0) {
        stamp(candidate);
        return candidate;
      }
    }
    // `/app/start.sh` inside the image, `COPY scripts/start.sh /app/`: the project's file of that name.
    shellIndex ??= findShellFiles(projectDir, stamp);
    // Else the file beside the entry, even if it is not on disk (an editor's unsaved buffer): it is
    // reached, only not followed further.
    return shellIndex.find((path) => basename(path) === basename(written)) ?? candidates[0];
  };

  const queue: ({ kind: 'script'; name: string; path: string[] } | { kind: 'shell'; file: string; path: string[] })[] = [];
  const follow = (commands: ShellCommand[], baseDir: string, path: string[]): void => {
    for (const command of commands) {
      for (const name of scriptsRunBy(command, names)) if (!scripts.has(name)) queue.push({ kind: 'script', name, path: [...path, commandText(command)] });
      const written = shellFileArgument(command);
      const file = written === undefined ? undefined : resolveShellFile(written, baseDir);
      if (file && !shellFiles.has(file)) queue.push({ kind: 'shell', file, path: [...path, commandText(command)] });
    }
  };

  const entries = entryFiles(projectDir, stamp);
  for (const entry of entries) {
    const source = readText(entry, stamp);
    if (source === undefined) continue;
    for (const site of entrySites(entry, source)) {
      const where = relative(projectDir, entry) === basename(entry) ? site.where : site.where.replace(basename(entry), relative(projectDir, entry));
      follow(site.commands, dirname(entry), [where]);
    }
  }
  while (queue.length > 0) {
    const item = queue.shift()!;
    if (item.kind === 'script') {
      if (scripts.has(item.name)) continue;
      scripts.set(item.name, item.path);
      follow(expandCommands(splitCommandLine(bodies[item.name] as string)), projectDir, item.path);
    } else {
      if (shellFiles.has(item.file)) continue;
      shellFiles.set(item.file, item.path);
      const text = readText(item.file, stamp);
      if (text !== undefined) follow(expandCommands(splitCommandLine(text)), dirname(item.file), item.path);
    }
  }
  return { projectDir, hasEntries: entries.length > 0, scripts, shellFiles };
}

/** The project's shell files, three directories deep at most, outside dependencies and build output. */
function findShellFiles(projectDir: string, stamp: (path: string) => void): string[] {
  const found: string[] = [];
  const visit = (directory: string, depth: number): void => {
    for (const name of listDirectory(directory, stamp)) {
      if (name.startsWith('.') || SKIPPED_DIRECTORIES.has(name)) continue;
      const path = join(directory, name);
      if (/\.(?:sh|bash)$/.test(name)) found.push(path);
      else if (depth < 3 && !name.includes('.')) {
        let isDirectory = false;
        try {
          isDirectory = statSync(path).isDirectory();
        } catch {
          isDirectory = false;
        }
        if (isDirectory) visit(path, depth + 1);
      }
    }
  };
  visit(projectDir, 0);
  return found.sort();
}
