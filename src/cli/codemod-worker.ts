/**
 * Runs one codemod through jscodeshift's Runner in its own process: the Runner writes per-file status
 * lines straight to stdout and keeps module-global state (ignores, the transform's parser), so one
 * transform per process keeps runs independent. The parent parses the lines; the last one is the result.
 */
import { readFileSync } from 'node:fs';

export const RESULT_MARKER = '@@deploy-safe-result ';

interface Job {
  transform: string;
  files: string[];
  options: Record<string, unknown>;
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Job;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { run } = require('jscodeshift/src/Runner') as {
    run: (transform: string, paths: string[], options: Record<string, unknown>) => Promise<Record<string, number>> | undefined;
  };
  const result = await run(job.transform, job.files, { babel: false, verbose: 2, silent: false, ...job.options });
  if (!result) throw new Error(`codemod not found: ${job.transform}`);
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify({ ok: result.ok, nochange: result.nochange, skip: result.skip, error: result.error })}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  });
}
