import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CommandSite } from '../deploy-files/deploy-file-commands';
import { nearestPackageDirectory } from '../core/project-root';
import { isLoopbackHost } from './server-listen';
import { programIndex, programName, type ShellCommand, type ShellWord } from '../deploy-files/shell-command';

/**
 * Servers started from a command line rather than from code: `vite` / `vite preview` and `next start`,
 * in the package.json scripts and deploy files a deploy runs.
 *
 * Measured (2026-11, `ss -ltn`): `vite preview` (Vite 8.3) binds 127.0.0.1 unless `--host` is given
 * (`--host` alone binds `*`, all addresses; the `HOST` variable is ignored); `next start` (14.2.5,
 * 15.5, 16.4) binds `*` without `-H`, although it prints `Local: http://localhost:3000`. So a missing
 * host is reported for Vite only, and an explicit loopback host for both.
 */
export interface ServerCommandProblem {
  kind: 'missingHost' | 'loopbackHost';
  tool: 'vite' | 'next';
  /** `vite preview`, `next start`. */
  command: string;
  where: string;
  /** Source range to report: the program and its subcommand, or the loopback host's value. */
  start: number;
  end: number;
  host?: string;
  /** loopbackHost: the option as written, `-H localhost` / `--hostname=127.0.0.1`. */
  hostOption?: string;
  /** missingHost: the text edit that adds `--host`, when the source form allows one. */
  addHost?: { at: number; text: string };
  /** loopbackHost: the range whose removal leaves the tool's all-addresses behaviour. */
  removeHost?: [number, number];
}

/** `vite` options that take a value, so their value is not read as the subcommand. */
const VITE_VALUE_OPTIONS = new Set(['-c', '--config', '--base', '-l', '--logLevel', '-m', '--mode', '--port', '--outDir', '--filter', '-f', '--configLoader']);
const VITE_NON_SERVER_COMMANDS = new Set(['build', 'optimize']);
const NEXT_VALUE_OPTIONS = new Set(['-p', '--port', '--keepAliveTimeout']);

interface HostOption {
  /** The option word (`--host`, `-H`, or `--host=x` itself). */
  flag: ShellWord;
  /** The word holding the value (the flag itself in the `=` form); undefined for a bare `--host`. */
  valueWord?: ShellWord;
  value?: string;
  /** The word before the flag. */
  previous: ShellWord;
}

function hostOption(words: readonly ShellWord[], from: number, names: readonly string[], valueRequired: boolean): HostOption | undefined {
  for (let index = from; index < words.length; index += 1) {
    const word = words[index].value;
    const name = names.find((candidate) => word === candidate || word.startsWith(`${candidate}=`));
    if (!name) continue;
    const previous = words[index - 1];
    if (word !== name) return { flag: words[index], valueWord: words[index], value: word.slice(name.length + 1), previous };
    const next = words[index + 1];
    if (next && (valueRequired || !next.value.startsWith('-'))) return { flag: words[index], valueWord: next, value: next.value, previous };
    return { flag: words[index], previous };
  }
  return undefined;
}

/** The first positional word after `from`, skipping options and the values of `valueOptions`. */
function firstPositional(words: readonly ShellWord[], from: number, valueOptions: ReadonlySet<string>): number {
  for (let index = from; index < words.length; index += 1) {
    const word = words[index].value;
    if (!word.startsWith('-')) return index;
    if (valueOptions.has(word)) index += 1;
  }
  return -1;
}

/** One past the last character of a word's value, before any closing quote. */
const valueEnd = (word: ShellWord): number => (word.positions.at(-1) ?? word.start) + 1;

/**
 * Whether Vite's config sets a host (`server.host` / `preview.host`), read as text from the
 * `vite.config.*` next to the project's package.json. Read only for a command with a finding.
 */
export function viteConfigSetsHost(file: string): boolean {
  const directory = nearestPackageDirectory(file) ?? dirname(resolve(file));
  return ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].some((extension) => {
    const config = join(directory, `vite.config.${extension}`);
    try {
      return existsSync(config) && /\bhost\s*:/.test(readFileSync(config, 'utf8'));
    } catch {
      return false; // unreadable: as if absent
    }
  });
}

function viteProblem(command: ShellCommand, program: number, source: string): Omit<ServerCommandProblem, 'where'> | undefined {
  const { words } = command;
  const subcommandIndex = firstPositional(words, program + 1, VITE_VALUE_OPTIONS);
  const subcommand = subcommandIndex === -1 ? undefined : words[subcommandIndex].value;
  if (subcommand !== undefined && VITE_NON_SERVER_COMMANDS.has(subcommand)) return undefined;
  const named = subcommand === 'preview' || subcommand === 'dev' || subcommand === 'serve' ? ` ${subcommand}` : '';
  const shown = named ? words[subcommandIndex] : words[program];
  const base = { tool: 'vite' as const, command: `vite${named}`, start: words[program].start, end: shown.end };
  const option = hostOption(words, program + 1, ['--host'], false);
  if (option?.value !== undefined && option.valueWord) {
    if (!isLoopbackHost(option.value)) return undefined;
    // `--host=localhost` → `--host`; `--host localhost` → `--host`: both bind all addresses.
    const removeHost: [number, number] =
      option.valueWord === option.flag
        ? [option.flag.positions[option.flag.value.indexOf('=')], command.argv ? valueEnd(option.flag) : option.flag.end]
        : [option.flag.end, option.valueWord.end];
    return { ...base, kind: 'loopbackHost', host: option.value, start: option.valueWord.start, end: option.valueWord.end, removeHost };
  }
  if (option) return undefined;
  const last = words.at(-1)!;
  if (!command.argv) return { ...base, kind: 'missingHost', addHost: { at: last.end, text: ' --host' } };
  // An exec-form argv: a JSON-style array whose items are double-quoted strings.
  const following = source.slice(last.end).trimStart()[0];
  const quoted = source[last.end - 1] === '"' && (following === ',' || following === ']');
  return { ...base, kind: 'missingHost', addHost: quoted ? { at: last.end, text: ', "--host"' } : undefined };
}

function nextProblem(command: ShellCommand, program: number): Omit<ServerCommandProblem, 'where'> | undefined {
  const { words } = command;
  const subcommandIndex = firstPositional(words, program + 1, NEXT_VALUE_OPTIONS);
  if (subcommandIndex === -1 || words[subcommandIndex].value !== 'start') return undefined;
  const option = hostOption(words, subcommandIndex + 1, ['-H', '--hostname'], true);
  if (option?.value === undefined || !option.valueWord || !isLoopbackHost(option.value)) return undefined;
  return {
    tool: 'next',
    kind: 'loopbackHost',
    command: 'next start',
    host: option.value,
    hostOption: option.valueWord === option.flag ? option.flag.value : `${option.flag.value} ${option.value}`,
    start: option.valueWord.start,
    end: option.valueWord.end,
    removeHost: [option.previous.end, option.valueWord.end],
  };
}

/**
 * Whether a deploy file's text can hold a command this module reports, before any parsing: a `vite`
 * command (not the `"vite": "^6"` dependency key, not `vite-node` or `@vitejs/…`), or `next` with a
 * host option (`next start` without one binds all addresses and is never reported). A package.json of
 * a Next or Vite app names the package in its dependencies; without this test every such file would
 * load the shell parser for nothing.
 */
export function mightHaveServerCommand(text: string): boolean {
  if (/(?:^|[\s"'`;&|(/])vite(?=[\s"'`;&|)]|$)(?!"\s*:)/m.test(text)) return true;
  return /\bnext\b/.test(text) && /(?:^|[\s"'`])(?:-H|--hostname)(?=[\s="'`,\]]|$)/m.test(text);
}

/** `vite`/`vite preview` without `--host`, and `vite`/`next start` with a loopback host, where a deploy runs them. */
export function findServerCommandProblems(source: string, sites: readonly CommandSite[]): ServerCommandProblem[] {
  const problems: ServerCommandProblem[] = [];
  for (const site of sites) {
    if (!site.deployTime) continue;
    for (const command of site.commands) {
      const program = programIndex(command.words);
      if (program === -1) continue;
      const name = programName(command.words[program]);
      const problem = name === 'vite' ? viteProblem(command, program, source) : name === 'next' ? nextProblem(command, program) : undefined;
      if (problem) problems.push({ ...problem, where: site.where });
    }
  }
  return problems;
}
