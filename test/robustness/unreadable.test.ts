/**
 * A file the user running the tools cannot read (mode 000). Root reads such a file anyway, so when the
 * tests run as root the check runs in a child process without root's permission overrides (setpriv
 * drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: still root, so the checkout may be anywhere), or else
 * as `nobody`; as any other user, in a child as that user. The codemods must name the file, go on with the others and write nothing into it;
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

const DROP_PERMISSION_OVERRIDES = ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search'];

/** How to run the child so that a mode-000 file is unreadable to it; a skip reason when there is no way. */
interface ChildRunner {
  run: (command: string) => [string, string[]];
  /** The user the child runs as, when it is another one: the project must be theirs to write. */
  owner?: string;
}

function unprivilegedChild(): ChildRunner | { skip: string } {
  if (!isRoot) return { run: (command) => ['/bin/sh', ['-c', command]] };
  if (spawnSync(DROP_PERMISSION_OVERRIDES[0], [...DROP_PERMISSION_OVERRIDES.slice(1), 'true']).status === 0) {
    return { run: (command) => [DROP_PERMISSION_OVERRIDES[0], [...DROP_PERMISSION_OVERRIDES.slice(1), '/bin/sh', '-c', command]] };
  }
  try {
    execFileSync('su', ['nobody', '-s', '/bin/sh', '-c', 'true'], { stdio: 'ignore' });
    return { run: (command) => ['su', ['nobody', '-s', '/bin/sh', '-c', command]], owner: 'nobody' };
  } catch {
    return { skip: 'running as root without setpriv or `su nobody`: a mode-000 file is readable to root, so there is nothing to test' };
  }
}

const runner = process.platform === 'win32' ? { skip: 'POSIX permissions only' } : unprivilegedChild();
const skipReason = 'skip' in runner ? runner.skip : undefined;

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
    const { run: commandLine, owner } = runner as ChildRunner;
    if (owner) execFileSync('chown', ['-R', owner, project.root]);
    const run = spawnSync(...commandLine(command), { encoding: 'utf8', timeout: 180_000 });
    const line = run.stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER));
    if (!line) throw new Error(`the child did not finish (status ${run.status}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
    result = JSON.parse(line.slice(RESULT_MARKER.length)) as UnreadableResult;
  }, 200_000);
  afterAll(() => {
    if (!project) return;
    chmodSync(locked, 0o644);
    return project.cleanup();
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
