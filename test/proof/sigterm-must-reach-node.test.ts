import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { freePort, waitForPort } from '../helpers/sigterm-harness';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import transform from '../../codemods/sigterm-must-reach-node';
import { commandLinesOf } from '../../src/deploy-files/shell-lines';
import { runCodemod } from '../helpers/run-codemod';
import { scratchDirectory } from '../helpers/scratch';

/**
 * Each start command runs as PID 1 of a PID namespace the test creates (`unshare --fork --pid
 * --mount-proc`, as Docker runs CMD), with a request in flight when SIGTERM arrives from outside the
 * namespace (as `docker stop` sends it). The platform's SIGKILL comes 5 s later.
 */
function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'PID namespaces need Linux';
  if (process.getuid?.() !== 0) return 'creating a PID namespace (unshare --pid) needs root';
  const probe = spawnSync('unshare', ['--fork', '--pid', '--mount-proc', 'true']);
  if (probe.error || probe.status !== 0) return `unshare --fork --pid --mount-proc failed here: ${probe.error?.message ?? probe.stderr.toString().trim()}`;
  return undefined;
}
const skipReason = unavailable();
if (skipReason) console.warn(`sigterm-must-reach-node proof skipped: ${skipReason}`);

const DEADLINE_MS = 5000;
const SLOW_MS = 1500;

interface Outcome {
  /** Node's pid inside the namespace: 1 when it is the container's main process. */
  nodePid?: number;
  handlerRan: boolean;
  request: string;
  ending: 'exited' | 'killed at the deadline';
  /** From SIGTERM to the end of PID 1. */
  endedAfterMs: number;
}

/** What Docker runs for a CMD line: the exec-form argv, or `/bin/sh -c` with the shell-form text. */
function argvOf(dockerfile: string): string[] {
  const cmd = commandLinesOf(dockerfile, 'Dockerfile').filter((line) => line.where === 'Dockerfile CMD').at(-1)!;
  return cmd.argv ? cmd.argv.map((word) => word.value) : ['/bin/sh', '-c', cmd.text!];
}

async function startAsPid1(cwd: string, argv: string[]): Promise<Outcome> {
  // A port the kernel just handed out, not a guessed range another suite (PostgreSQL, the harness) may hold.
  const port = await freePort();
  const child = spawn('unshare', ['--fork', '--pid', '--mount-proc', ...argv], { cwd, env: { ...process.env, PORT: String(port), SLOW_MS: String(SLOW_MS) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited: string | undefined;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `\`${argv.join(' ')}\` exited (${signal ?? code}) before listening on ${port}: ${stderr.trim() || stdout.trim() || 'no output'}`;
      resolve(Date.now());
    }),
  );
  try {
    await waitForPort(port, Date.now() + 60_000, () => exited);
    const inFlight = new Promise<string>((resolve) => {
      // No keep-alive: an idle kept-alive socket would hold `server.close()` open after the response.
      const req = request({ host: '127.0.0.1', port, path: '/slow', agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(`${response.statusCode} ${body}`));
        response.on('error', (error) => resolve(`error: ${error.message}`));
      });
      req.on('error', (error) => resolve(`error: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // PID 1 of the namespace is unshare's only child.
    const pid1 = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    const signalAt = Date.now();
    process.kill(pid1, 'SIGTERM');
    let killed = false;
    const deadline = setTimeout(() => {
      killed = true;
      try {
        process.kill(pid1, 'SIGKILL');
      } catch {
        // already gone
      }
    }, DEADLINE_MS);
    const endedAt = await ended;
    clearTimeout(deadline);
    return {
      nodePid: Number(/listening pid=(\d+)/.exec(stdout)?.[1]),
      handlerRan: stdout.includes('sigterm-handler'),
      request: await inFlight,
      ending: killed ? 'killed at the deadline' : 'exited',
      endedAfterMs: endedAt - signalAt,
    };
  } finally {
    child.kill('SIGKILL');
  }
}

/**
 * One run of `argv` as PID 1, started once more if it exited before it listened (a namespace that could
 * not be set up on a loaded machine): what is measured is what happens after it listens, and a command
 * that cannot start at all fails both times, with its output.
 */
async function runAsPid1(cwd: string, argv: string[]): Promise<Outcome> {
  try {
    return await startAsPid1(cwd, argv);
  } catch (error) {
    if (!/exited \(.*\) before listening/.test((error as Error).message)) throw error;
    process.stderr.write(`retrying once: ${(error as Error).message}\n`);
    return startAsPid1(cwd, argv);
  }
}

describe.skipIf(skipReason !== undefined)('a request in flight when SIGTERM reaches the container, before and after the codemod', () => {
  const project = scratchDirectory('deploy-safe-pid1-');
  const VARIANTS: Record<string, string> = {
    'CMD ["npm", "start"]': 'FROM node:20\nCMD ["npm", "start"]\n',
    'CMD node server.js (shell form)': 'FROM node:20\nCMD node server.js\n',
    'CMD ["sh", "-c", "echo migrating && node server.js"]': 'FROM node:20\nCMD ["sh", "-c", "echo migrating && node server.js"]\n',
    'CMD ["sh", "start.sh"], start.sh ending in node server.js': 'FROM node:20\nCMD ["sh", "start.sh"]\n',
  };
  const results: Record<string, { original: Outcome; fixed: Outcome; fixedCommand: string }> = {};

  beforeAll(async () => {
    cpSync(join(__dirname, 'fixtures', 'sigterm-must-reach-node'), project, { recursive: true });
    for (const [name, dockerfile] of Object.entries(VARIANTS)) {
      const dockerfilePath = join(project, 'Dockerfile');
      const scriptPath = join(project, 'start.sh');
      const script = readFileSync(join(__dirname, 'fixtures', 'sigterm-must-reach-node', 'start.sh'), 'utf8');
      writeFileSync(dockerfilePath, dockerfile);
      writeFileSync(scriptPath, script);
      const original = await runAsPid1(project, argvOf(dockerfile));
      const fixedDockerfile = (await runCodemod(transform, dockerfile, dockerfilePath)).output;
      const fixedScript = (await runCodemod(transform, script, scriptPath)).output;
      writeFileSync(dockerfilePath, fixedDockerfile);
      writeFileSync(scriptPath, fixedScript);
      const fixed = await runAsPid1(project, argvOf(fixedDockerfile));
      results[name] = { original, fixed, fixedCommand: `${fixedDockerfile.trim().split('\n').at(-1)}${fixedScript === script ? '' : ` + start.sh: ${fixedScript.trim().split('\n').at(-1)}`}` };
    }
    console.log(JSON.stringify(results, null, 1));
  }, 300_000);

  for (const name of Object.keys(VARIANTS)) {
    it(`${name}: before, Node's handler never runs: the request is cut, or the container is killed at the deadline`, () => {
      const { original } = results[name];
      expect(original.nodePid).not.toBe(1);
      expect(original.handlerRan).toBe(false);
      if (name.includes('npm')) {
        // npm relays SIGTERM to its script's shell, which dies, and exits: node goes with the namespace.
        expect(original.request).toMatch(/^error: /);
        expect(original.ending).toBe('exited');
      } else {
        // dash as PID 1 ignores SIGTERM: nothing happens until SIGKILL (the request was short enough to finish).
        expect(original.ending).toBe('killed at the deadline');
      }
    });

    it(`${name}: after the codemod, node is PID 1, its handler runs and the request completes`, () => {
      const { fixed } = results[name];
      expect(fixed.nodePid).toBe(1);
      expect(fixed.handlerRan).toBe(true);
      expect(fixed.request).toBe('200 done');
      expect(fixed.ending).toBe('exited');
      expect(fixed.endedAfterMs).toBeLessThan(SLOW_MS + 1000);
    });
  }
});
