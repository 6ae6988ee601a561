/**
 * Runs a codemod the way `npx jscodeshift` does, through jscodeshift's programmatic Runner, and
 * captures what the user would see (the Runner writes its per-file lines straight to stdout/stderr).
 * In-band, because the Runner's worker processes could not load a `.ts` transform; tsx's require
 * hook (registered by `requireTypeScript`) lets it.
 */
import { requireTypeScript } from '../../scripts/lib/targets';

export const RUNNER_EXTENSIONS = 'ts,tsx,js,jsx,mjs,cjs,mts,cts,json';

export interface RunnerOutcome {
  counts: { ok: number; nochange: number; skip: number; error: number };
  /** stdout and stderr lines, colours stripped. */
  lines: string[];
}

const ANSI = /\u001b\[[0-9;]*m/g;

export async function runWithRunner(transformPath: string, paths: string[], options: Record<string, unknown> = {}): Promise<RunnerOutcome> {
  // Loading the transform first registers the `.ts` hook the Runner's in-band worker needs.
  requireTypeScript(transformPath);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { run } = require('jscodeshift/src/Runner') as {
    run: (transform: string, paths: string[], options: Record<string, unknown>) => Promise<RunnerOutcome['counts']> | undefined;
  };
  const captured: string[] = [];
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  const capture = (chunk: unknown): boolean => {
    captured.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  let counts: RunnerOutcome['counts'] | undefined;
  try {
    counts = await run(transformPath, paths, { babel: false, extensions: RUNNER_EXTENSIONS, runInBand: true, verbose: 2, silent: false, ...options });
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
  if (!counts) throw new Error(`jscodeshift could not load ${transformPath}:\n${captured.join('')}`);
  return {
    counts: { ok: counts.ok, nochange: counts.nochange, skip: counts.skip, error: counts.error },
    lines: captured.join('').replace(ANSI, '').split('\n').map((line) => line.trim()).filter(Boolean),
  };
}
