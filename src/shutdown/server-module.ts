import { readdirSync, readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { SOURCE_FILE, walkSourceTree } from '../core/source-tree';

/** Scripts, tests and tools that live in a server's package but are not the server: exiting there is theirs. */
export const NOT_THE_SERVICE = /(?:^|\/)(?:scripts?|bin|cli|tools?|seeds?|migrations?|tests?|__tests__|e2e|fixtures?)\/|\.(?:test|spec|e2e)\.[cm]?[jt]sx?$|(?:^|\/)[^/]*seed[^/]*$/i;

const MAX_FILES = 2000;

export interface PackageModules {
  /** Modules whose text starts a server (`.listen(`, Hapi's `.start(`), relative to the package, sorted. */
  servers: string[];
  /** Modules whose text mentions SIGTERM or SIGINT. */
  signals: string[];
}

/**
 * The package's own code modules (not its dependencies, build output, tests or scripts) that start a
 * server or mention a shutdown signal: where a shutdown routine written for another module can go. A text
 * scan, for the codemod only (the rule never reads other files); the caller parses what it picks.
 */
export function packageModules(directory: string): PackageModules {
  const servers: string[] = [];
  const signals: string[] = [];
  let seen = 0;
  // A nested package is another service; Prisma's generated client is nobody's server.
  const skipDirectory = (name: string, path: string): boolean => name === 'generated' || hasPackageJson(path);
  walkSourceTree(directory, { skipDirectory }, (path, entry) => {
    if (!SOURCE_FILE.test(entry.name) || entry.name.endsWith('.d.ts')) return;
    const name = relative(directory, path).split(sep).join('/');
    if (NOT_THE_SERVICE.test(name)) return;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return;
    }
    if (/\.(?:listen|start)\s*\(/.test(text)) servers.push(name);
    if (/SIG(?:TERM|INT)/.test(text)) signals.push(name);
    return ++seen < MAX_FILES;
  });
  return { servers: servers.sort(), signals: signals.sort() };
}

function hasPackageJson(directory: string): boolean {
  try {
    return readdirSync(directory).includes('package.json');
  } catch {
    return false;
  }
}
