/**
 * `deploy-safe check` with oxlint for the code files: the plugin's code rules run unchanged as an
 * oxlint JS plugin, with oxlint's parser and its threads, while ESLint still lints package.json and
 * the deploy files (oxlint has no custom parsers). What oxlint reports is turned into ESLint's messages
 * (rule, message id, line and column in UTF-16 code units as ESLint counts them), so the output of
 * `check` is the same whichever engine linted the code.
 *
 * A code file that oxlint reports anything else for (a parse error above all: oxc's messages are not
 * typescript-eslint's) is linted again by ESLint, so its parse error reads as on the ESLint path.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Linter } from 'eslint';
import plugin from '../index';
import { MESSAGE_ID_SEPARATOR } from './oxlint-message';

export type Engine = 'eslint' | 'oxlint' | 'auto';

/** The oxlint installed for the project in `dir` (its own node_modules or an enclosing one), or undefined. */
export function findOxlint(dir: string): { bin: string; version: string } | undefined {
  let manifestPath: string;
  let manifest: { version: string; bin?: string | Record<string, string> };
  try {
    manifestPath = require.resolve('oxlint/package.json', { paths: [dir] });
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch {
    return undefined;
  }
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.oxlint;
  if (!bin) return undefined;
  return { bin: join(dirname(manifestPath), bin), version: manifest.version };
}

/** oxlint ran but its results cannot be used: `check` says so in one line and lints with ESLint. */
export class OxlintFailure extends Error {}

/** The code rules of the recommended config, with its severities and options. */
function codeRules(): NonNullable<Linter.Config['rules']> {
  const recommended = plugin.configs.recommended as Linter.Config[];
  return recommended.find((config) => config.name === 'deploy-safe/recommended')?.rules ?? {};
}

/**
 * The config `check` runs oxlint with: the code rules and nothing else (no built-in plugin, no
 * category), loaded from oxlint-plugin.js (the built module) so each message keeps its id.
 */
function checkConfig(): object {
  return {
    plugins: [],
    categories: { correctness: 'off' },
    jsPlugins: [{ name: 'deploy-safe', specifier: require.resolve('./oxlint-plugin') }],
    rules: codeRules(),
  };
}

interface Diagnostic {
  message: string;
  code?: string;
  filename: string;
  labels?: { span: { offset: number } }[];
}

/** Linux limits the whole command line to 2 MiB: file lists longer than this run in several oxlint processes. */
const MAX_ARGUMENTS_LENGTH = 256 * 1024;

function chunks(files: readonly string[]): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const file of files) {
    if (current.length > 0 && length + file.length + 3 > MAX_ARGUMENTS_LENGTH) {
      result.push(current);
      current = [];
      length = 0;
    }
    current.push(file);
    length += file.length + 3;
  }
  if (current.length > 0) result.push(current);
  return result;
}

function run(bin: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * ESLint's line and column (1-based, UTF-16 code units, lines broken as ESLint breaks them, the BOM
 * not counted) of a UTF-8 byte offset, which is what oxlint's JSON gives.
 */
export function eslintLocation(source: Buffer, offset: number): { line: number; column: number } {
  const bom = source[0] === 0xef && source[1] === 0xbb && source[2] === 0xbf ? 3 : 0;
  const before = source.subarray(bom, Math.max(bom, offset)).toString('utf8');
  let line = 1;
  let lineStart = 0;
  for (const match of before.matchAll(LINE_BREAK)) {
    line++;
    lineStart = match.index + match[0].length;
  }
  return { line, column: before.length - lineStart + 1 };
}

export interface OxlintLint {
  /** deploy-safe's messages by relative path, for every file oxlint linted cleanly. */
  messages: Map<string, Linter.LintMessage[]>;
  /** Files oxlint reported something else for (parse errors): to be linted by ESLint instead. */
  toEslint: string[];
}

/** Lints `files` (paths relative to `dir`, all code files) with the oxlint at `bin`. */
export async function lintWithOxlint(dir: string, files: readonly string[], bin: string): Promise<OxlintLint> {
  const messages = new Map<string, Linter.LintMessage[]>(files.map((file) => [file, []]));
  const toEslint = new Set<string>();
  if (files.length === 0) return { messages, toEslint: [] };
  const configDir = mkdtempSync(join(tmpdir(), 'deploy-safe-oxlint-'));
  try {
    const config = join(configDir, 'oxlintrc.json');
    writeFileSync(config, JSON.stringify(checkConfig()));
    const base = ['-c', config, '--disable-nested-config', '--no-ignore', '--format', 'json'];
    const found: Diagnostic[] = [];
    for (const chunk of chunks(files)) {
      // `./`: a file named `-x.ts` is not an option.
      const { code, stdout, stderr } = await run(bin, [...base, ...chunk.map((file) => `./${file}`)], dir);
      let parsed: { diagnostics?: Diagnostic[] } | undefined;
      try {
        parsed = JSON.parse(stdout) as { diagnostics?: Diagnostic[] };
      } catch {
        parsed = undefined;
      }
      if ((code !== 0 && code !== 1) || !Array.isArray(parsed?.diagnostics)) {
        throw new OxlintFailure(firstLine(stderr) || firstLine(stdout) || `exit code ${String(code)}`);
      }
      found.push(...parsed.diagnostics);
    }
    const sources = new Map<string, Buffer>();
    for (const diagnostic of found) {
      const file = relative(dir, resolve(dir, diagnostic.filename)).split('\\').join('/');
      const list = messages.get(file);
      if (!list) throw new OxlintFailure(`oxlint reported a file it was not given: ${diagnostic.filename}`);
      const rule = /^deploy-safe\((.+)\)$/.exec(diagnostic.code ?? '')?.[1];
      const offset = diagnostic.labels?.[0]?.span.offset;
      const separator = diagnostic.message.indexOf(MESSAGE_ID_SEPARATOR);
      if (rule === undefined || offset === undefined || separator < 0) {
        toEslint.add(file);
        continue;
      }
      let source = sources.get(file);
      if (!source) sources.set(file, (source = readFileSync(join(dir, file))));
      list.push({
        ruleId: `deploy-safe/${rule}`,
        messageId: diagnostic.message.slice(0, separator),
        message: diagnostic.message.slice(separator + 1),
        severity: 2,
        ...eslintLocation(source, offset),
      } as Linter.LintMessage);
    }
    for (const file of toEslint) messages.delete(file);
    // ESLint's order: by line, then column; reports at the same place in the order they were made.
    for (const list of messages.values()) list.sort((a, b) => a.line - b.line || a.column - b.column);
    return { messages, toEslint: [...toEslint] };
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}
