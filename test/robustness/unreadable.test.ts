/**
 * A file the user running the tools cannot read (mode 000). Root reads such a file anyway, so when the
 * tests run as root the check runs as `nobody` in a child process; as any other user, in a child as
 * that user. The codemods must name the file, go on with the others and write nothing into it;
 * ESLint's own reading of files is not the plugin's to change (it stops the run, naming the file).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCodemods } from '../../scripts/lib/targets';
import { createBadProject, GOOD_FASTIFY, type BadProject } from './bad-inputs';
import { RESULT_MARKER, type UnreadableResult } from './unreadable-child';

const REPO = join(__dirname, '..', '..');
const isRoot = process.getuid?.() === 0;

function canSwitchToNobody(): string | undefined {
  if (!isRoot) return undefined;
  try {
    execFileSync('su', ['nobody', '-s', '/bin/sh', '-c', 'true'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'running as root without `su nobody`: a mode-000 file is readable to root, so there is nothing to test';
  }
}

const skipReason = process.platform === 'win32' ? 'POSIX permissions only' : canSwitchToNobody();

const title = skipReason === undefined ? 'an unreadable file in the project' : `an unreadable file in the project (skipped: ${skipReason})`;

describe.skipIf(skipReason !== undefined)(title, () => {
  let project: BadProject;
  let result: UnreadableResult;
  let locked: string;

  beforeAll(() => {
    project = createBadProject();
    // The dangling symlink would stop ESLint before it reaches the unreadable file.
    unlinkSync(join(project.root, 'src', 'dangling-link.js'));
    locked = join(project.root, 'src', 'locked-server.ts');
    writeFileSync(locked, GOOD_FASTIFY);
    chmodSync(locked, 0o000);
    const child = join(REPO, 'test', 'robustness', 'unreadable-child.ts');
    const command = `cd '${REPO}' && exec '${process.execPath}' --import tsx '${child}' '${project.root}'`;
    if (isRoot) execFileSync('chown', ['-R', 'nobody', project.root]);
    const run = isRoot
      ? spawnSync('su', ['nobody', '-s', '/bin/sh', '-c', command], { encoding: 'utf8', timeout: 180_000 })
      : spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', timeout: 180_000 });
    const line = run.stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER));
    if (!line) throw new Error(`the child did not finish (status ${run.status}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
    result = JSON.parse(line.slice(RESULT_MARKER.length)) as UnreadableResult;
  }, 200_000);
  afterAll(() => {
    if (!project) return;
    chmodSync(locked, 0o644);
    project.cleanup();
  });

  it('every codemod names the file and the reason, and goes on with the others', () => {
    expect(Object.keys(result.codemods).sort()).toEqual(listCodemods().map((codemod) => codemod.name).sort());
    for (const [name, outcome] of Object.entries(result.codemods)) {
      expect(outcome.lines, name).toContain(`ERR ${locked} File error: Error: EACCES: permission denied, open '${locked}'`);
      expect(outcome.counts.error, name).toBe(1);
      const files = project.snapshot().size; // as root here: the locked file is counted too
      expect(outcome.counts.ok + outcome.counts.nochange + outcome.counts.skip + outcome.counts.error, name).toBe(files);
    }
  });

  it('writes nothing into the unreadable file, and still rewrites the good ones', () => {
    expect(readFileSync(locked, 'utf8')).toBe(GOOD_FASTIFY);
    if ('listen-requires-host' in result.codemods) {
      expect(readFileSync(join(project.root, 'src', 'good-server.ts'), 'utf8')).toContain("host: process.env.HOST ?? '0.0.0.0'");
    }
  });

  it("ESLint's own file reading stops the run, naming the file (not the plugin's to change)", () => {
    expect(result.eslint.error).toBe(`EACCES: permission denied, open '${locked}'`);
  });
});
