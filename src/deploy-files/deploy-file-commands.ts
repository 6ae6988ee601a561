import { basename, relative, resolve } from 'node:path';
import { deployPathsFor, scriptReachedBy, shellFileReachedBy } from './deploy-paths';
import type { CommandLineSource } from './shell-lines';
import { deployTimeScripts } from './package-scripts';
import { commandFromArgv, expandCommands, splitCommandLine, type ShellCommand, type ShellWord } from './shell-command';

/**
 * One place where a deploy file holds commands: a package.json script, `deploy.startCommand` in
 * railway.json, a Dockerfile `CMD`… with its commands already split, every word carrying the source
 * offsets of its characters.
 */
export interface CommandSite {
  /** Human-readable location: `the "prestart" script`, `railway.json deploy.startCommand`, `Dockerfile CMD`. */
  where: string;
  commands: ShellCommand[];
  /** Runs on install, build, release or start (not a developer's script). */
  deployTime: boolean;
  /** Whether `--accept-data-loss` / `--force-reset` are reported here (everywhere but test scripts). */
  checkDataLoss: boolean;
  /** Whether `a; b` counts as hiding a failure of `a` (not in shell scripts, which can `set -e`). */
  checkSequence: boolean;
  /** The key path of the value (`["scripts", "prestart"]`, `["deploy", "startCommand"]`), or the Procfile process type. */
  path: string[];
  /** Source range of the whole string value (quotes included) or command line. */
  range: [number, number];
  /** Range of the key/value entry holding it (package.json property, Procfile line), for the codemod. */
  entryRange?: [number, number];
  /** package.json: the lifecycle script that runs this one (itself when it is one). */
  root?: string;
}

/** Keys whose string value is a command a platform runs (Railway, Render, Vercel, Fly, Nixpacks, Compose). */
export const COMMAND_KEYS: ReadonlySet<string> = new Set(['startCommand', 'preDeployCommand', 'buildCommand', 'installCommand', 'release_command', 'cmd', 'cmds', 'command', 'entrypoint']);
/** Keys whose array value is an argv (exec form) rather than a list of command lines. */
const ARGV_KEYS = new Set(['command', 'entrypoint', 'cmd']);

/**
 * Offsets in the file of each character of a string value, from its source text: exact for
 * double-quoted strings with escapes (JSON, TOML basic, YAML double-quoted), and for everything else
 * by walking the source alongside the value (YAML plain and block scalars fold lines and drop indentation).
 */
export function scalarPositions(source: string, range: readonly [number, number], value: string): number[] {
  const [start, end] = range;
  const positions: number[] = [];
  let i = start;
  if (source[i] === '"') {
    i += source.startsWith('"""', i) ? 3 : 1;
    while (positions.length < value.length && i < end) {
      if (source[i] === '\\') {
        const next = source[i + 1];
        if (next === '\n' || next === '\r' || next === ' ' || next === '\t') {
          // TOML / YAML line-ending backslash: the newline and the next line's indentation vanish.
          i += 2;
          while (i < end && /\s/.test(source[i])) i += 1;
          continue;
        }
        const width = next === 'u' ? 6 : next === 'U' ? 10 : next === 'x' ? 4 : 2;
        const code = next === 'U' ? Number.parseInt(source.slice(i + 2, i + 10), 16) : 0;
        positions.push(i);
        if (code > 0xffff) positions.push(i);
        i += width;
        continue;
      }
      if (source[i] === value[positions.length]) {
        positions.push(i);
      } else if (/\s/.test(source[i]) && /\s/.test(value[positions.length] ?? '')) {
        positions.push(i);
        while (i + 1 < end && /[ \t]/.test(source[i + 1]) && !/[ \t]/.test(value[positions.length] ?? '')) i += 1;
      }
      i += 1;
    }
  } else {
    if (source[i] === "'") i += source.startsWith("'''", i) ? 3 : 1;
    while (positions.length < value.length && i < end) {
      const expected = value[positions.length];
      if (source[i] === expected) {
        positions.push(i);
        // YAML single quotes write a quote as two.
        if (expected === "'" && source[i + 1] === "'") i += 1;
      } else if (/\s/.test(expected) && /\s/.test(source[i])) {
        positions.push(i);
        while (i + 1 < end && /\s/.test(source[i + 1])) i += 1;
      } else {
        i += 1;
        continue;
      }
      i += 1;
    }
  }
  while (positions.length < value.length) positions.push(positions.at(-1) ?? start);
  return positions;
}

interface StringValue {
  value: string;
  range: [number, number];
}

type Value = { kind: 'string'; node: StringValue } | { kind: 'array'; items: Value[] } | { kind: 'other' };

interface Entry {
  path: string[];
  value: Value;
  /** Range of the whole entry (key and value). */
  range: [number, number];
}

/** Loosely typed nodes of jsonc-eslint-parser, yaml-eslint-parser and toml-eslint-parser. */
interface AnyNode {
  type: string;
  range: [number, number];
  [key: string]: unknown;
}

const child = (node: AnyNode, key: string): AnyNode | undefined => node[key] as AnyNode | undefined;
const children = (node: AnyNode, key: string): AnyNode[] => ((node[key] as (AnyNode | null)[] | undefined) ?? []).filter((item): item is AnyNode => item != null);

function keyName(node: AnyNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'JSONIdentifier') return node.name as string;
  if (node.type === 'TOMLBare') return node.name as string;
  if (typeof node.value === 'string') return node.value;
  if (node.type === 'YAMLWithMeta') return keyName(child(node, 'value'));
  return undefined;
}

function valueOf(node: AnyNode | undefined): Value {
  if (!node) return { kind: 'other' };
  if (node.type === 'YAMLWithMeta') return valueOf(child(node, 'value'));
  if ((node.type === 'JSONLiteral' || node.type === 'YAMLScalar' || (node.type === 'TOMLValue' && node.kind === 'string')) && typeof node.value === 'string') {
    return { kind: 'string', node: { value: node.value, range: node.range } };
  }
  if (node.type === 'JSONArrayExpression' || node.type === 'TOMLArray') return { kind: 'array', items: children(node, 'elements').map(valueOf) };
  if (node.type === 'YAMLSequence') return { kind: 'array', items: children(node, 'entries').map(valueOf) };
  return { kind: 'other' };
}

/** Every key/value pair of a JSON, YAML or TOML document with its full key path. */
export function entriesOf(program: AnyNode): Entry[] {
  const entries: Entry[] = [];
  const walk = (node: AnyNode | undefined, path: string[]): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const item of children(node, 'body')) walk(item, path);
        return;
      case 'JSONExpressionStatement':
        return walk(child(node, 'expression'), path);
      case 'YAMLDocument':
        return walk(child(node, 'content'), path);
      case 'YAMLWithMeta':
        return walk(child(node, 'value'), path);
      case 'JSONObjectExpression':
      case 'YAMLMapping':
        for (const pair of children(node, node.type === 'YAMLMapping' ? 'pairs' : 'properties')) {
          const name = keyName(child(pair, 'key'));
          if (name === undefined) continue;
          entries.push({ path: [...path, name], value: valueOf(child(pair, 'value')), range: pair.range });
          walk(child(pair, 'value'), [...path, name]);
        }
        return;
      case 'JSONArrayExpression':
        children(node, 'elements').forEach((item, index) => walk(item, [...path, String(index)]));
        return;
      case 'YAMLSequence':
        children(node, 'entries').forEach((item, index) => walk(item, [...path, String(index)]));
        return;
      case 'TOMLTopLevelTable':
      case 'TOMLInlineTable':
        for (const item of children(node, 'body')) walk(item, path);
        return;
      case 'TOMLTable': {
        const resolved = (node.resolvedKey as (string | number)[]).map(String);
        for (const item of children(node, 'body')) walk(item, resolved);
        return;
      }
      case 'TOMLKeyValue': {
        const keys = children(child(node, 'key')!, 'keys').map((key) => keyName(key) ?? '');
        const full = [...path, ...keys];
        entries.push({ path: full, value: valueOf(child(node, 'value')), range: node.range });
        walk(child(node, 'value'), full);
        return;
      }
      case 'TOMLArray':
        children(node, 'elements').forEach((item, index) => walk(item, [...path, String(index)]));
        return;
      default:
    }
  };
  walk(program, []);
  return entries;
}

function wordsOf(source: string, node: StringValue): ShellWord {
  return { value: node.value, positions: scalarPositions(source, node.range, node.value), start: node.range[0], end: node.range[1] };
}

/** The source offset just past a string value's last character: before its closing quote(s), if quoted. */
function valueEndOffset(source: string, range: readonly [number, number]): number {
  const quote = source[range[0]];
  if (quote !== '"' && quote !== "'") return range[1];
  return range[1] - (source.startsWith(quote.repeat(3), range[0]) ? 3 : 1);
}

function commandsOfString(source: string, node: StringValue): ShellCommand[] {
  const positions = scalarPositions(source, node.range, node.value);
  return expandCommands(splitCommandLine(node.value, node.range[0], positions, valueEndOffset(source, node.range)));
}

/** Dev-only compose files and scripts (`docker-compose.dev.yml`, `scripts/test-db.sh`) are not deploys. */
export function isDevFile(filename: string): boolean {
  return /(?:^|[._-])(?:dev|development|local|test|override|e2e)(?:[._-]|$)/i.test(basename(filename));
}

/** CI and test directories (`.github/tests/…/run.sh`, `test/setup-db.sh`): their scripts run in CI, not on a deploy. */
function isCiOrTestPath(filename: string): boolean {
  return /(?:^|[/\\])(?:\.github|\.circleci|\.gitlab|\.buildkite|\.husky|tests?|__tests__|e2e|spec|fixtures)[/\\]/i.test(filename.replace(/\\/g, '/'));
}

/** `railway.toml deploy.startCommand → npm run start:with-migration → sh scripts/start.sh` */
const pathText = (path: readonly string[]): string => path.join(' → ');

/**
 * The command sites of package.json: every script, marked deploy-time when a deploy runs it: a
 * lifecycle script the platforms run by name (or one it reaches), or one a platform entry of the
 * project reaches (`filename` given: read from disk, see ./deploy-paths.ts). `--accept-data-loss` and
 * `--force-reset` are reported only there: a `db:push` run by hand against a development database is
 * not a deploy.
 */
export function packageJsonSites(source: string, program: AnyNode, filename?: string): CommandSite[] {
  const scripts = entriesOf(program).filter((entry) => entry.path.length === 2 && entry.path[0] === 'scripts' && entry.value.kind === 'string');
  const bodies = new Map(scripts.map((entry) => [entry.path[1], (entry.value as { node: StringValue }).node.value]));
  const reached = deployTimeScripts(bodies);
  return scripts.map((entry) => {
    const name = entry.path[1];
    const node = (entry.value as { node: StringValue }).node;
    const via = reached.get(name);
    const entryPath = via || !filename ? undefined : scriptReachedBy(filename, name);
    const where =
      via && via.root !== name ? `the "${name}" script (run by "${via.root}")` : entryPath ? `the "${name}" script (run by ${pathText(entryPath)})` : `the "${name}" script`;
    const deployTime = via !== undefined || entryPath !== undefined;
    return {
      where,
      commands: commandsOfString(source, node),
      deployTime,
      checkDataLoss: deployTime,
      checkSequence: true,
      path: entry.path,
      range: node.range,
      entryRange: entry.range,
      root: via?.root,
    };
  });
}

/** Command sites of a platform file (railway.json, vercel.json, render.yaml, compose, railway/nixpacks/fly.toml). */
export function platformFileSites(source: string, program: AnyNode, filename: string): CommandSite[] {
  const name = basename(filename);
  const deployTime = !isDevFile(filename);
  const sites: CommandSite[] = [];
  for (const entry of entriesOf(program)) {
    const key = entry.path.at(-1) ?? '';
    const isFlyProcess = /^fly(?:\..+)?\.toml$/.test(name) && entry.path.length === 2 && entry.path[0] === 'processes';
    if (!COMMAND_KEYS.has(key) && !isFlyProcess) continue;
    const where = `${name} ${entry.path.join('.')}`;
    const base = { where, deployTime, checkDataLoss: true, checkSequence: true, path: entry.path, entryRange: entry.range };
    if (entry.value.kind === 'string') {
      sites.push({ ...base, commands: commandsOfString(source, entry.value.node), range: entry.value.node.range });
    } else if (entry.value.kind === 'array') {
      const strings = entry.value.items.filter((item): item is { kind: 'string'; node: StringValue } => item.kind === 'string').map((item) => item.node);
      if (strings.length === 0) continue;
      const range: [number, number] = [strings[0].range[0], strings.at(-1)!.range[1]];
      if (ARGV_KEYS.has(key)) {
        sites.push({ ...base, commands: expandCommands(commandFromArgv(strings.map((node) => wordsOf(source, node)))), range });
      } else {
        for (const node of strings) sites.push({ ...base, commands: commandsOfString(source, node), range: node.range });
      }
    }
  }
  return sites;
}

/**
 * Command sites of a Dockerfile, Procfile or shell script, from the shell-lines parser's services. A
 * shell script is deploy-time when a deploy path of its project reaches it (its `where` then says the
 * path), or, in a project with no platform entry to follow, unless it is named for development or sits
 * in a CI or test directory.
 */
export function commandFileSites(lines: readonly CommandLineSource[], filename: string): CommandSite[] {
  let deployTime = !isDevFile(filename);
  let reachedBy: string[] | undefined;
  if (lines.some((line) => line.script)) {
    const paths = deployPathsFor(filename);
    reachedBy = shellFileReachedBy(filename);
    deployTime = reachedBy !== undefined || (!paths?.hasEntries && deployTime && !isCiOrTestPath(paths ? relative(paths.projectDir, resolve(filename)) : resolve(filename)));
  }
  return lines.map((line) => {
    const commands = line.argv
      ? expandCommands(commandFromArgv(line.argv))
      : expandCommands(splitCommandLine(line.text ?? '', line.offset ?? 0));
    const range: [number, number] = line.argv
      ? [line.argv[0]?.start ?? 0, line.argv.at(-1)?.end ?? 0]
      : [line.offset ?? 0, (line.offset ?? 0) + (line.text ?? '').length];
    return {
      where: reachedBy ? `${line.where} (run by ${pathText(reachedBy)})` : line.where,
      commands,
      deployTime,
      checkDataLoss: deployTime,
      checkSequence: !line.script,
      path: line.processType ? [line.processType] : [],
      range,
    };
  });
}

/** Whether a parse result is a deploy file's: the shell-lines parser's services, or a JSON/YAML/TOML document. */
export function isDeployFileParse(program: unknown, services: unknown): boolean {
  if ((services as { deploySafeCommandLines?: unknown } | undefined)?.deploySafeCommandLines) return true;
  const first = ((program as AnyNode).body as AnyNode[] | undefined)?.[0];
  return first !== undefined && /^(?:JSON|YAML|TOML)/.test(first.type);
}

/** The command sites of any deploy file, from the AST (and services) its parser produced. */
export function commandSitesOf(filename: string, source: string, program: unknown, services: unknown): CommandSite[] {
  const lines = (services as { deploySafeCommandLines?: CommandLineSource[] } | undefined)?.deploySafeCommandLines;
  if (lines) return commandFileSites(lines, filename);
  if (!isDeployFileParse(program, services)) return [];
  const root = program as AnyNode;
  const first = (root.body as AnyNode[])[0];
  if (basename(filename) === 'package.json') return first.type.startsWith('JSON') ? packageJsonSites(source, root, filename) : [];
  return platformFileSites(source, root, filename);
}
