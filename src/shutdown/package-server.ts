import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nearestPackageDirectory } from '../core/project-root';

/** Frameworks whose instance closes through its own promise (`await app.close()`, `await server.stop()`). */
const PROMISE_CLOSE_PACKAGES = ['fastify', '@nestjs/core', '@hapi/hapi', 'hapi'];
/** Frameworks whose `listen()` returns a Node `http.Server`, the thing that has to be closed. */
const NODE_SERVER_PACKAGES = ['express', 'koa', 'next', 'restify', 'polka', '@adonisjs/core', 'sails', 'feathers', '@feathersjs/feathers'];

export interface PackageServers {
  /** The HTTP server packages among the package's dependencies, in the order above. */
  promiseClose: string[];
  nodeServer: string[];
}

const cache = new Map<string, { mtimeMs: number; servers: PackageServers | undefined }>();

/**
 * The HTTP server frameworks the package a file belongs to depends on (the nearest package.json's
 * `dependencies`), or undefined when there is none or it does not parse. One `stat` per call; the file
 * is read again only when it changed, so an editor session sees an edit to package.json at once.
 */
export function packageServersFor(file: string): PackageServers | undefined {
  const directory = nearestPackageDirectory(file);
  if (!directory) return undefined;
  const path = join(directory, 'package.json');
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  const cached = cache.get(path);
  if (cached?.mtimeMs === mtimeMs) return cached.servers;
  let servers: PackageServers | undefined;
  try {
    const { dependencies } = JSON.parse(readFileSync(path, 'utf8')) as { dependencies?: Record<string, unknown> };
    const names = new Set(Object.keys(dependencies ?? {}));
    servers = {
      promiseClose: PROMISE_CLOSE_PACKAGES.filter((name) => names.has(name)),
      nodeServer: NODE_SERVER_PACKAGES.filter((name) => names.has(name)),
    };
  } catch {
    // an unparsable package.json is the JSON parser's to report
  }
  cache.set(path, { mtimeMs, servers });
  return servers;
}

/** Whether the package runs an HTTP server at all. */
export function runsHttpServer(servers: PackageServers | undefined): boolean {
  return servers !== undefined && servers.promiseClose.length + servers.nodeServer.length > 0;
}
