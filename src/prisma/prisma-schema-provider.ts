import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nearestPackageDirectory } from '../core/project-root';

const PROVIDER = /datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"(\w+)"/s;

function schemaFiles(path: string): string[] {
  try {
    if (statSync(path).isDirectory()) return readdirSync(path).filter((name) => name.endsWith('.prisma')).map((name) => join(path, name));
    return [path];
  } catch {
    return [];
  }
}

/**
 * The datasource provider (`postgresql`, `mongodb`…) of the Prisma schema of the project `file` belongs
 * to: the nearest directory above it with a package.json, then its package.json `prisma.schema`,
 * `prisma/schema.prisma`, a `prisma/schema/` folder (multi-file schemas) or `schema.prisma`.
 * Undefined when there is none. A few `stat`s and one small read, done only for files that have a
 * finding, and never cached, so an editor session sees a schema change at once.
 */
export function prismaProviderFor(file: string): string | undefined {
  const directory = nearestPackageDirectory(file);
  if (!directory) return undefined;
  const candidates: string[] = [];
  try {
    const configured = (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { prisma?: { schema?: unknown } }).prisma?.schema;
    if (typeof configured === 'string') candidates.push(...schemaFiles(join(directory, configured)));
  } catch {
    // an unparsable package.json is the JSON parser's to report
  }
  candidates.push(...schemaFiles(join(directory, 'prisma', 'schema.prisma')), ...schemaFiles(join(directory, 'prisma', 'schema')), ...schemaFiles(join(directory, 'schema.prisma')));
  for (const candidate of candidates) {
    try {
      const provider = PROVIDER.exec(readFileSync(candidate, 'utf8'))?.[1];
      if (provider) return provider;
    } catch {
      // unreadable: try the next candidate
    }
  }
  return undefined;
}
