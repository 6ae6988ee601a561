import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The plugin's own name and version, read at run time from the nearest package.json above this file:
 * the same code runs from `src/` in tests and from `dist/src/` once packed, and an `import` would make
 * tsc copy package.json into `dist`.
 */
export function readPackageInfo(): { name: string; version: string } {
  for (let directory = __dirname; ; directory = dirname(directory)) {
    try {
      const { name, version } = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name: string; version: string };
      if (name === 'eslint-plugin-deploy-safe') return { name, version };
    } catch {
      // no package.json here: keep walking up
    }
    if (dirname(directory) === directory) throw new Error('eslint-plugin-deploy-safe: its package.json was not found');
  }
}
