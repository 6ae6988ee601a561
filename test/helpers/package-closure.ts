import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Copies packages and everything they depend on from `fromRoot/node_modules` into
 * `toRoot/node_modules`, keeping the layout (hoisted or nested). For a process that runs as another
 * user and may not be allowed into the repository's own directory.
 */
export function copyPackageClosure(names: readonly string[], fromRoot: string, toRoot: string): void {
  const found = new Set<string>();
  const visit = (name: string, parent: string): void => {
    const directory = resolutionCandidates(name, parent, fromRoot).find((candidate) => existsSync(candidate));
    if (!directory || found.has(directory)) return;
    found.add(directory);
    const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { dependencies?: object; optionalDependencies?: object };
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dependency, directory);
  };
  for (const name of names) visit(name, fromRoot);
  for (const directory of found) cpSync(directory, join(toRoot, relative(fromRoot, directory)), { recursive: true, dereference: true });
}

/**
 * Where Node looks for `name` required from the package at `parent`: its own node_modules, then each
 * enclosing node_modules up to the root (`a/node_modules/b/node_modules/c` sees `b`'s nested copies before
 * the hoisted ones).
 */
function resolutionCandidates(name: string, parent: string, root: string): string[] {
  const candidates: string[] = [];
  for (let directory = parent; ; directory = dirname(directory)) {
    if (!directory.endsWith(`${join('', 'node_modules')}`)) candidates.push(join(directory, 'node_modules', name));
    if (directory === root || dirname(directory) === directory) break;
  }
  return candidates;
}
