import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

export interface SigtermScenario {
  /** The server's entry file, run as `node --require tsx/cjs <entry>` (one process, so signals reach it). */
  entry: string;
  cwd: string;
  /** Default: a port the system reports free, so parallel test files never collide. */
  port?: number;
  env?: Record<string, string>;
  /** A path that answers after about a second. */
  slowPath: string;
  /** A path that answers at once, used to leave an idle keep-alive socket open. */
  fastPath: string;
  slowRequests?: number;
  /** When the signal is sent, after the slow requests started. */
  signalAfterMs?: number;
  /** The signal the platform sends: SIGTERM (Docker, Kubernetes, Railway, Render, Heroku; the default) or SIGINT (Fly). */
  signal?: 'SIGTERM' | 'SIGINT';
  /** Extra node flags, after tsx's loader (`--require` preloads may be TypeScript). */
  nodeArgs?: string[];
}

export interface RequestOutcome {
  status?: number;
  error?: string;
  finishedAt: number;
}

export interface SigtermOutcome {
  slow: RequestOutcome[];
  /** A new connection attempted 150 ms after the signal: 'refused' is what a draining server must answer. */
  newConnection: 'refused' | 'accepted';
  exitCode: number | null;
  signalAt: number;
  exitedAt: number;
  /** When the server printed `db:disconnect <ms>` lines. */
  disconnects: number[];
  /** When the server handed each response to the OS, on the same clock as `disconnects`. */
  responsesFinished: number[];
  stdout: string;
  stderr: string;
}

const root = join(__dirname, '..', '..');
// Generous: on a 2-core machine running every test file at once, tsx's first compile can be slow.
const STARTUP_TIMEOUT_MS = 30_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on 127.0.0.1:`port`; fails at `deadline` or as soon as `startFailure` says why. */
export function waitForPort(port: number, deadline: number, startFailure: () => string | undefined = () => undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const failure = startFailure();
      if (failure) return reject(new Error(failure));
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listened on 127.0.0.1:${port} in time`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function get(port: number, path: string, agent: Agent | false): Promise<RequestOutcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent, timeout: 15_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, finishedAt: Date.now() }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, finishedAt: Date.now() }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, finishedAt: Date.now() }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/**
 * Starts a real server process, puts slow requests in flight over keep-alive connections (plus an idle
 * keep-alive socket), sends SIGTERM (or SIGINT) mid-flight, tries a new connection, and records what each client
 * saw, when the database was disconnected and how the process exited. Bound to 127.0.0.1, bounded in time.
 */
export async function runSigtermScenario(scenario: SigtermScenario): Promise<SigtermOutcome> {
  const port = scenario.port ?? (await freePort());
  const preloads = ['--require', require.resolve('tsx/cjs', { paths: [root] }), '--require', join(__dirname, 'record-responses.cjs')];
  const child = spawn(process.execPath, [...preloads, ...(scenario.nodeArgs ?? []), scenario.entry], {
    cwd: scenario.cwd,
    env: { ...process.env, ...scenario.env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  const killTimer = setTimeout(() => child.kill('SIGKILL'), STARTUP_TIMEOUT_MS + 20_000);
  try {
    await waitForPort(port, Date.now() + STARTUP_TIMEOUT_MS, () =>
      child.exitCode === null && child.signalCode === null
        ? undefined
        : `${scenario.entry} exited (${child.exitCode ?? child.signalCode}) before listening on ${port}:\n${stderr || stdout}`,
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    // One quick request first: its socket stays open and idle (keep-alive) through the shutdown.
    await get(port, scenario.fastPath, agent);
    const slow = Promise.all(Array.from({ length: scenario.slowRequests ?? 4 }, () => get(port, scenario.slowPath, agent)));
    await new Promise((resolve) => setTimeout(resolve, scenario.signalAfterMs ?? 200));
    const signalAt = Date.now();
    child.kill(scenario.signal ?? 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const fresh = await get(port, scenario.fastPath, false);
    const [slowOutcomes, exit] = await Promise.all([slow, exited]);
    agent.destroy();
    const disconnects = [...stdout.matchAll(/^db:disconnect (\d+)$/gm)].map((match) => Number(match[1]));
    const responsesFinished = [...stdout.matchAll(/^response:finish (\d+)$/gm)].map((match) => Number(match[1]));
    return {
      slow: slowOutcomes,
      newConnection: fresh.error === 'ECONNREFUSED' || fresh.error === 'ECONNRESET' ? 'refused' : 'accepted',
      exitCode: exit.code,
      signalAt,
      exitedAt: exit.at,
      disconnects,
      responsesFinished,
      stdout,
      stderr,
    };
  } finally {
    clearTimeout(killTimer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
