import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest directory at or above `file`'s own with a package.json: the project it belongs to. */
export function nearestPackageDirectory(file: string): string | undefined {
  for (let directory = dirname(resolve(file)); ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (dirname(directory) === directory) return undefined;
  }
}
