/**
 * `check` on a terminal says how far it is on one line of stderr, redrawn in place and cleared before
 * the report; piped (CI, `--format json`), it prints no such line.
 */
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirectory } from '../helpers/scratch';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'index.js');
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('check progress', () => {
  const dir = join(scratchDirectory('deploy-safe-check-progress-'), 'example');
  cpSync(join(root, 'example'), dir, { recursive: true });

  it.skipIf(!hasScript)('on a terminal: a progress line with the count and the file, cleared before the report', () => {
    // `script` runs the CLI on a pseudo-terminal, as a user's shell would.
    const run = spawnSync('script', ['-qec', `node ${cli} check ${dir}`, '/dev/null'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    const output = run.stdout.replace(/\r\n/g, '\n');
    // The first file is always drawn; later ones at most every 100 ms.
    expect(output).toMatch(/^\r {2}checking: 1 file, [\w./-]+\.(?:json|ts) +\r/);
    const report = output.slice(output.lastIndexOf('\r') + 1);
    expect(report).toMatch(/^no-db-push-script {2}\(/);
    expect(report).toContain('9 files checked');
  }, 60_000);

  it('piped: no progress line, the same report', () => {
    const run = spawnSync(process.execPath, [cli, 'check', dir], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('checking:');
    expect(run.stdout).toMatch(/^no-db-push-script {2}\(/);
  }, 60_000);
});
