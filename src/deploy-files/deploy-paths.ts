/**
 * What a project's deploy runs, followed across files: from each platform entry (Procfile,
 * railway.json/toml, render.yaml, fly.toml, vercel.json, nixpacks.toml, app.json, Dockerfiles,
 * docker-compose files) through `npm/pnpm/yarn/bun run`, `npm-run-all`/`run-s`/`run-p` and the shell
 * files they execute (`sh start.sh`, `./scripts/start.sh`, `. ./env.sh`, `sh scripts/start` without an
 * extension), into other packages (`cd backend && npm start`, `npm --prefix backend run x`, `pnpm -C`,
 * `pnpm --dir`, `yarn --cwd`), to every package.json script
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
  /** Scripts of other packages a path reaches (`cd backend && npm start`): package directory → name → path. */
  packageScripts: Map<string, Map<string, string[]>>;
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

const DOCKERFILE = /^(?:Dockerfile|Containerfile)(?:\..+)?$|.+\.[Dd]ockerfile$/;

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The platform entry files at the project's top level, and the Dockerfiles one and two directories down
 * (`docker/Dockerfile`, a monorepo's `apps/api/Dockerfile`) in directories that are no package of their
 * own (a package's Dockerfile is that package's entry).
 */
function entryFiles(projectDir: string, stamp: (path: string) => void): string[] {
  const files: string[] = [];
  const subdirectories = (directory: string): string[] =>
    listDirectory(directory, stamp)
      .filter((name) => !name.startsWith('.') && !SKIPPED_DIRECTORIES.has(name) && !name.includes('.'))
      .map((name) => join(directory, name))
      .filter(isDirectory);
  const dockerfilesIn = (directory: string): void => {
    for (const inner of listDirectory(directory, stamp)) if (DOCKERFILE.test(inner)) files.push(join(directory, inner));
  };
  for (const name of listDirectory(projectDir, stamp)) if (ENTRY.test(name)) files.push(join(projectDir, name));
  for (const directory of subdirectories(projectDir)) {
    stamp(join(directory, 'package.json'));
    if (mtime(join(directory, 'package.json')) >= 0) continue;
    dockerfilesIn(directory);
    for (const inner of subdirectories(directory)) {
      stamp(join(inner, 'package.json'));
      if (mtime(join(inner, 'package.json')) < 0) dockerfilesIn(inner);
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

/** The package directory a runner is pointed at: `npm --prefix x`, `pnpm -C x` / `--dir x`, `yarn --cwd x`. */
function runnerDirectory(command: ShellCommand): string | undefined {
  const words = command.words.map((word) => word.value);
  const index = words.findIndex((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) && word !== 'exec');
  const program = programName(command.words[index]);
  const options = program === 'npm' ? ['--prefix'] : program === 'pnpm' ? ['-C', '--dir'] : program === 'yarn' ? ['--cwd'] : [];
  for (let k = index + 1; k < words.length; k += 1) {
    if (words[k] === '--') break;
    const option = options.find((name) => words[k] === name || words[k].startsWith(`${name}=`));
    if (option) return words[k] === option ? words[k + 1] : words[k].slice(option.length + 1);
  }
  return undefined;
}

function computeDeployPaths(projectDir: string, stamp: (path: string) => void = () => {}): DeployPaths {
  const shellFiles = new Map<string, string[]>();
  const packageScripts = new Map<string, Map<string, string[]>>();
  const bodiesByDir = new Map<string, Record<string, unknown>>();
  const bodiesOf = (directory: string): Record<string, unknown> => {
    let bodies = bodiesByDir.get(directory);
    if (bodies) return bodies;
    const text = readText(join(directory, 'package.json'), stamp);
    try {
      bodies = (JSON.parse(text ?? '{}') as { scripts?: Record<string, unknown> }).scripts ?? {};
    } catch {
      bodies = {};
    }
    bodiesByDir.set(directory, bodies);
    return bodies;
  };
  const namesOf = (directory: string): Set<string> => {
    const bodies = bodiesOf(directory);
    return new Set(Object.keys(bodies).filter((name) => typeof bodies[name] === 'string'));
  };
  const scriptsOf = (directory: string): Map<string, string[]> => {
    let map = packageScripts.get(directory);
    if (!map) packageScripts.set(directory, (map = new Map()));
    return map;
  };
  const scripts = scriptsOf(projectDir);
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

  const queue: ({ kind: 'script'; dir: string; name: string; path: string[] } | { kind: 'shell'; file: string; path: string[] })[] = [];
  /** `packageDir`: where a package manager's scripts are read, changed by `cd dir` for the commands after it. */
  const follow = (commands: ShellCommand[], baseDir: string, path: string[], packageDir = projectDir): void => {
    let cwd = packageDir;
    let moved = false;
    for (const command of commands) {
      const program = command.words[0]?.value;
      if (program === 'cd') {
        const target = command.words.slice(1).find((word) => !word.value.startsWith('-'))?.value;
        // `cd /app/backend` inside an image: the project's directory of that name, when it has a package.json.
        if (target && !/[$`~]/.test(target)) {
          const candidate = target.startsWith('/') ? [resolve(projectDir, basename(target)), resolve(projectDir, target.slice(1))].find((dir) => mtime(join(dir, 'package.json')) >= 0) : resolve(cwd, target);
          if (candidate) {
            cwd = candidate;
            moved = true;
          }
        }
        continue;
      }
      const pointed = runnerDirectory(command);
      const dir = pointed && !/[$`~]/.test(pointed) ? resolve(cwd, pointed) : cwd;
      const reached = scriptsOf(dir);
      for (const name of scriptsRunBy(command, namesOf(dir))) if (!reached.has(name)) queue.push({ kind: 'script', dir, name, path: [...path, commandText(command)] });
      const written = shellFileArgument(command);
      const file = written === undefined ? undefined : resolveShellFile(written, moved ? cwd : baseDir);
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
      const reached = scriptsOf(item.dir);
      if (reached.has(item.name)) continue;
      reached.set(item.name, item.path);
      follow(expandCommands(splitCommandLine(bodiesOf(item.dir)[item.name] as string)), item.dir, item.path, item.dir);
    } else {
      if (shellFiles.has(item.file)) continue;
      shellFiles.set(item.file, item.path);
      const text = readText(item.file, stamp);
      if (text !== undefined) follow(expandCommands(splitCommandLine(text)), dirname(item.file), item.path);
    }
  }
  return { projectDir, hasEntries: entries.length > 0, scripts, packageScripts, shellFiles };
}

/** The projects above `file`'s own, nearest first (a monorepo's root, up to three levels). */
function enclosingProjects(file: string): DeployPaths[] {
  const found: DeployPaths[] = [];
  const own = nearestPackageDirectory(file);
  let directory = own ? dirname(own) : undefined;
  for (let depth = 0; directory && depth < 3; depth += 1) {
    const paths = mtime(join(directory, 'package.json')) >= 0 ? deployPathsFor(join(directory, 'package.json')) : undefined;
    if (paths) found.push(paths);
    if (dirname(directory) === directory) break;
    directory = dirname(directory);
  }
  return found;
}

/** The path that runs script `name` of `packageJson`: from its own project's entries, or from an enclosing project's (`cd backend && npm start`). */
export function scriptReachedBy(packageJson: string, name: string): string[] | undefined {
  const own = deployPathsFor(packageJson);
  const reached = own?.scripts.get(name);
  if (reached) return reached;
  const directory = dirname(resolve(packageJson));
  for (const paths of enclosingProjects(packageJson)) {
    const path = paths.packageScripts.get(directory)?.get(name);
    if (path) return path;
  }
  return undefined;
}

/** The path that runs a shell file, from its project's entries or an enclosing project's. */
export function shellFileReachedBy(file: string): string[] | undefined {
  const path = resolve(file);
  return deployPathsFor(file)?.shellFiles.get(path) ?? enclosingProjects(file).map((paths) => paths.shellFiles.get(path)).find(Boolean);
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
