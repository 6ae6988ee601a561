import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Copies packages and everything they depend on from `fromRoot/node_modules` into
 * `toRoot/node_modules`, keeping the layout (hoisted or nested). For a process that runs as another
 * user and may not be allowed into the repository's own directory.
 */
export function copyPackageClosure(names: readonly string[], fromRoot: string, toRoot: string): void {
  const found = new Set<string>();
  const visit = (name: string, parent: string): void => {
    const directory = [join(parent, 'node_modules', name), join(fromRoot, 'node_modules', name)].find((candidate) => existsSync(candidate));
    if (!directory || found.has(directory)) return;
    found.add(directory);
    const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { dependencies?: object; optionalDependencies?: object };
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dependency, directory);
  };
  for (const name of names) visit(name, fromRoot);
  for (const directory of found) cpSync(directory, join(toRoot, relative(fromRoot, directory)), { recursive: true, dereference: true });
}
