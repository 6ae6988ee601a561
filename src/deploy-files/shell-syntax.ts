/**
 * Whether the shell commands a rewrite wrote into a deploy file are valid shell, asked of the shell
 * itself (`bash -n`: read, not run), so `fix` never leaves a deploy that fails on a syntax error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type * as TomlParser from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import type * as YamlParser from 'yaml-eslint-parser' with { 'resolution-mode': 'import' };
import { commandFileKind, commandLinesOf } from './shell-lines';
import { COMMAND_KEYS } from './deploy-file-commands';
import { splitCommandLine } from './shell-command';

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

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Valid syntax that cannot run: `exec VAR=value node …` looks for a program named `VAR=value` (exit 127
 * in dash, bash and busybox sh), where `VAR=value exec node …` was meant.
 */
function execOfAssignment(command: string): string | undefined {
  for (const { words } of splitCommandLine(command)) {
    const program = words.findIndex((word) => !ASSIGNMENT.test(word.value));
    const next = words[program + 1]?.value;
    if (words[program]?.value === 'exec' && next !== undefined && ASSIGNMENT.test(next)) return `\`exec ${next}\` runs a program named \`${next}\`: the assignment goes before \`exec\``;
  }
  return undefined;
}

/** Shell commands present in the rewritten file but not in the original that do not parse, or cannot run. */
export function invalidNewCommands(file: string, before: string | undefined, after: string): { command: string; error: string }[] {
  const written = shellCommandsOf(file, after);
  if (!written) return [];
  const existing = new Set(before === undefined ? [] : (shellCommandsOf(file, before) ?? []));
  return written
    .filter((command) => !existing.has(command))
    .flatMap((command) => {
      const error = shellSyntaxError(command) ?? execOfAssignment(command);
      return error ? [{ command, error }] : [];
    });
}

