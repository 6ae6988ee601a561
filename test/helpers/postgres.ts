import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  url: string;
  stop(): void;
}

/** Why a real PostgreSQL cannot be started here, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  if (spawnSync('sh', ['-c', 'command -v initdb && command -v pg_ctl']).status !== 0) {
    return 'PostgreSQL server binaries (initdb, pg_ctl) are not on PATH: install them (Debian: apt-get install postgresql) to run this proof';
  }
  if (process.getuid?.() === 0 && spawnSync('id', ['nobody']).status !== 0) return 'running as root without a `nobody` user to start PostgreSQL as';
  return undefined;
}

/**
 * Starts a throw-away PostgreSQL on 127.0.0.1:`port`, its data and socket in a temp dir. PostgreSQL
 * refuses to run as root, so as root it runs as `nobody` (FIELD-NOTES).
 */
export function startPostgres(port: number): PostgresServer {
  const base = mkdtempSync(join(tmpdir(), 'deploy-safe-pg-'));
  const data = join(base, 'data');
  mkdirSync(data, { mode: 0o700 });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chownSync(base, 65534, 65534);
    chownSync(data, 65534, 65534);
  }
  const run = (command: string): void => {
    if (asRoot) execFileSync('su', ['nobody', '-s', '/bin/sh', '-c', command], { stdio: 'pipe' });
    else execFileSync('sh', ['-c', command], { stdio: 'pipe' });
  };
  run(`initdb -D ${data} -U postgres --auth=trust >/dev/null`);
  run(`pg_ctl -D ${data} -o "-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c max_connections=200" -l ${base}/log -w start >/dev/null`);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run(`pg_ctl -D ${data} -m immediate -w stop >/dev/null`);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
