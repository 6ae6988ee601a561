import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/deploy-files/shell-command';

/**
 * The shell parser against the shell itself: every command of the corpus (real package.json scripts,
 * Dockerfile RUN/CMD shell forms, Procfile entries and shell files from public repositories, each with
 * its source, plus deliberately broken ones) is valid for mvdan/sh exactly when `bash -n` accepts it.
 */
interface CorpusEntry {
  source: string;
  kind: string;
  command: string;
}

const corpus = (JSON.parse(readFileSync(join(__dirname, 'deploy-command-corpus.json'), 'utf8')) as { commands: CorpusEntry[] }).commands;
const bash = spawnSync('bash', ['--version']).status === 0;

describe('shell parser corpus', () => {
  it('holds at least 200 real deploy commands and some broken ones', () => {
    expect(corpus.filter((entry) => entry.kind !== 'broken' && !entry.source.startsWith('deploy-safe')).length).toBeGreaterThanOrEqual(200);
    expect(corpus.filter((entry) => entry.kind === 'broken').length).toBeGreaterThanOrEqual(10);
  });

  it.skipIf(!bash)('agrees with `bash -n` on the validity of every command', () => {
    const disagreements = corpus.flatMap((entry) => {
      const shell = spawnSync('bash', ['-n', '-c', entry.command], { encoding: 'utf8' }).status === 0;
      const parser = parseCommandLine(entry.command).error === undefined;
      return shell === parser ? [] : [{ source: entry.source, shell, parser, command: entry.command.slice(0, 200) }];
    });
    expect(disagreements).toEqual([]);
  });

  it('rejects the unclosed subshell of issue 20', () => {
    expect(parseCommandLine('prisma generate && (prisma db push || true && next build').error).toMatch(/\(/);
  });
});
