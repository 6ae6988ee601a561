/**
 * Child process of unreadable.test.ts, run as a user who cannot read one file of the project (as
 * `nobody` when the tests run as root, since root reads a mode-000 file anyway): lints the project with
 * the recommended config and runs every codemod over it through jscodeshift's Runner, and prints
 * what happened as one JSON line.
 */
import { ESLint } from 'eslint';
import plugin from '../../src/index';
import { listCodemods } from '../../scripts/lib/targets';
import { runWithRunner, type RunnerOutcome } from './run-codemod-runner';

export const RESULT_MARKER = '@@unreadable-result ';

export interface UnreadableResult {
  eslint: { error?: string; results?: { filePath: string; messages: { message: string; fatal?: boolean }[] }[] };
  codemods: Record<string, RunnerOutcome>;
}

async function main(root: string): Promise<void> {
  const result: UnreadableResult = { eslint: {}, codemods: {} };
  try {
    const results = await new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: plugin.configs.recommended }).lintFiles(['.']);
    result.eslint.results = results.map(({ filePath, messages }) => ({ filePath, messages: messages.map(({ message, fatal }) => ({ message, fatal })) }));
  } catch (error) {
    result.eslint.error = error instanceof Error ? error.message : String(error);
  }
  for (const codemod of listCodemods()) result.codemods[codemod.name] = await runWithRunner(codemod.path, [root]);
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main(process.argv[2]).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  });
}
