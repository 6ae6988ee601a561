#!/usr/bin/env node
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, formatCheck } from './check';
import { fix, formatFix } from './fix';
import type { Engine } from './oxlint';
import { toSarif } from './sarif';
import { readPackageInfo } from '../core/package-info';

const USAGE = `Usage:
  deploy-safe check [dir] [--format text|json|sarif] [--concurrency n|auto|off]
                    [--engine auto|eslint|oxlint]
                                                  lint the project with the recommended config
                                                  (--concurrency: ESLint's worker threads, ESLint ≥ 9.34;
                                                  --engine: what lints the code files, auto = oxlint
                                                  where the project has it installed, else ESLint)
  deploy-safe fix [dir] [--dry-run] [--no-typecheck]
                                                  run the codemods, keep the rewrites that pass
                                                  every check, then check again
  deploy-safe --help | --version

  dir defaults to the current directory and must contain a package.json.
  --format sarif writes SARIF 2.1.0 for GitHub code scanning (upload it with
  github/codeql-action/upload-sarif).

Exit codes:
  0  nothing to report (check), or everything fixed and kept (fix)
  1  check found problems; fix left problems, a codemod failed, or a rewrite was not kept
     (fix says which and why)
  2  usage error (unknown command or option, no such directory, no package.json) or a crash`;

class UsageError extends Error {}

interface Arguments {
  command: 'check' | 'fix';
  dir: string;
  format: 'text' | 'json' | 'sarif';
  concurrency: number | 'auto' | 'off';
  engine: Engine;
  dryRun: boolean;
  typeCheck: boolean;
}

function parseArguments(argv: string[]): Arguments | 'help' | 'version' {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help' || (rest.includes('--help') || rest.includes('-h'))) return 'help';
  if (command === '--version' || command === '-v') return 'version';
  if (command !== 'check' && command !== 'fix') {
    throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  }
  let dir: string | undefined;
  let format: Arguments['format'] = 'text';
  let dryRun = false;
  let typeCheck = true;
  let concurrency: Arguments['concurrency'] = 'off';
  let engine: Engine = 'auto';
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index];
    if (argument === '--dry-run' && command === 'fix') dryRun = true;
    else if (argument === '--no-typecheck' && command === 'fix') typeCheck = false;
    else if ((argument === '--format' || argument.startsWith('--format=')) && command === 'check') {
      const value = argument.includes('=') ? argument.slice('--format='.length) : rest[++index];
      if (value !== 'text' && value !== 'json' && value !== 'sarif') throw new UsageError(`--format must be "text", "json" or "sarif", not "${value ?? ''}"`);
      format = value;
    } else if ((argument === '--concurrency' || argument.startsWith('--concurrency=')) && command === 'check') {
      const value = argument.includes('=') ? argument.slice('--concurrency='.length) : rest[++index];
      if (value === 'auto' || value === 'off') concurrency = value;
      else if (/^[1-9]\d*$/.test(value ?? '')) concurrency = Number(value);
      else throw new UsageError(`--concurrency must be a positive number, "auto" or "off", not "${value ?? ''}"`);
    } else if ((argument === '--engine' || argument.startsWith('--engine=')) && command === 'check') {
      const value = argument.includes('=') ? argument.slice('--engine='.length) : rest[++index];
      if (value !== 'auto' && value !== 'eslint' && value !== 'oxlint') throw new UsageError(`--engine must be "auto", "eslint" or "oxlint", not "${value ?? ''}"`);
      engine = value;
    } else if (argument.startsWith('-')) throw new UsageError(`unknown option "${argument}" for ${command}`);
    else if (dir === undefined) dir = argument;
    else throw new UsageError(`unexpected argument "${argument}"`);
  }
  return { command, dir: resolve(dir ?? '.'), format, concurrency, engine, dryRun, typeCheck };
}

function validateProject(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no such directory: ${dir}`);
  if (!existsSync(join(dir, 'package.json'))) throw new UsageError(`${dir} has no package.json: point deploy-safe at the service's root directory`);
}

function progressBar(codemod: string, done: number, total: number): void {
  if (!process.stderr.isTTY || total < 50) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r  [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${codemod}`.padEnd(80));
  if (done === total) process.stderr.write('\r'.padEnd(81) + '\r');
}

/** A line on the terminal that says how far `check` is (redrawn at most every 100 ms), never in piped output. */
function checkProgress(): (file: string, done: number) => void {
  let drawn = 0;
  return (file, done) => {
    const now = Date.now();
    if (now - drawn < 100) return;
    drawn = now;
    const line = `  checking: ${done} file${done === 1 ? '' : 's'}, ${file}`;
    process.stderr.write(`\r${(line.length > 79 ? `${line.slice(0, 78)}…` : line).padEnd(80)}`);
  };
}

/**
 * ESLint warns on every run that `.eslintignore` is no longer read; this CLI reads it itself (as
 * ignore patterns), so the warning would only be noise, repeated for each lint `fix` runs.
 */
function silenceEslintIgnoreWarning(): void {
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ESLintIgnoreWarning') return;
    (emit as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

async function main(): Promise<number> {
  silenceEslintIgnoreWarning();
  const args = parseArguments(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args === 'version') {
    process.stdout.write(`${readPackageInfo().version}\n`);
    return 0;
  }
  validateProject(args.dir);
  if (args.command === 'check') {
    const result = await check(args.dir, {
      concurrency: args.concurrency,
      engine: args.engine,
      onFile: process.stderr.isTTY ? checkProgress() : undefined,
      onNote: (line) => process.stderr.write(`${process.stderr.isTTY ? `\r${' '.repeat(80)}\r` : ''}${line}\n`),
    });
    if (process.stderr.isTTY) process.stderr.write(`\r${' '.repeat(80)}\r`);
    const output = args.format === 'json' ? JSON.stringify(result, null, 2) : args.format === 'sarif' ? JSON.stringify(toSarif(result), null, 2) : formatCheck(result);
    process.stdout.write(`${output}\n`);
    return result.findings.length > 0 ? 1 : 0;
  }
  process.stdout.write(`deploy-safe fix ${args.dir}${args.dryRun ? ' (dry run: nothing is written)' : ''}\n`);
  const result = await fix(args.dir, { dryRun: args.dryRun, typeCheck: args.typeCheck, onProgress: progressBar });
  process.stdout.write(`${formatFix(result, args.dryRun)}\n\n${args.dryRun ? 'after the fix, check would report:' : 'check after the fix:'}\n${formatCheck(result.after)}\n`);
  const failed = result.outcomes.some((outcome) => outcome.failed > 0) || result.reverted.length > 0;
  return failed || result.after.findings.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`deploy-safe: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`deploy-safe: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    }
  },
);
