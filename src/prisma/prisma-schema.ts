import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nearestPackageDirectory } from '../core/project-root';

export interface PrismaSchema {
  provider?: string;
  relationMode?: string;
  /** Per model (lower-camel-cased as the client names it): each unique key as its field list. */
  uniqueKeys: Map<string, string[][]>;
}

/**
 * The schema files of a project, in the order Prisma looks for them: prisma.config.ts `schema`,
 * package.json `prisma.schema`, `prisma/schema.prisma`, `schema.prisma`, a `prisma/schema/` folder.
 * `configured` (a file or folder) comes first when given.
 */
export function prismaSchemaFiles(projectDir: string, configured?: string): string[] {
  const candidates: string[] = [];
  if (configured) candidates.push(resolve(projectDir, configured));
  const config = ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.js'].map((name) => join(projectDir, name)).find(existsSync);
  const fromConfig = config && configuredSchemaPath(readFileSync(config, 'utf8'));
  if (fromConfig) candidates.push(join(projectDir, fromConfig));
  try {
    const fromPackage = (JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { prisma?: { schema?: unknown } }).prisma?.schema;
    if (typeof fromPackage === 'string') candidates.push(join(projectDir, fromPackage));
  } catch {
    // no or invalid package.json: the JSON parser's to report
  }
  candidates.push(join(projectDir, 'prisma', 'schema.prisma'), join(projectDir, 'schema.prisma'), join(projectDir, 'prisma', 'schema'));
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isDirectory()) {
        const files = schemaFilesUnder(candidate);
        if (files.length > 0) return files;
      } else {
        return [candidate];
      }
    } catch {
      // missing or unreadable: the next candidate
    }
  }
  return [];
}

/**
 * The datasource's provider and relationMode and each model's unique keys, read line by line as Prisma's
 * grammar has them: one declaration per line, `//` and `///` comments to the end of the line (outside
 * strings), blocks opened by `model|view|type|enum|datasource|generator Name {` and closed by `}` alone.
 * Only `model` blocks are models: a `view` or a composite `type` has no create, an `enum` no fields.
 * Kept hand-written after measuring the npm parsers: @loancrate/prisma-schema-parser and @mrleebo/prisma-ast
 * read the same keys from every schema tried but parse 10-15x slower and throw on a schema mid-edit;
 * @prisma/prisma-schema-wasm validates, so it rejects a schema of another Prisma major (`url` in Prisma 7).
 */
/**
 * prisma.config.ts `schema`, relative to the config's folder: a string (`'prisma/schema.prisma'`) or the
 * usual `path.join(__dirname, 'prisma')` / `path.resolve(import.meta.dirname, 'prisma', 'schema')`.
 */
function configuredSchemaPath(config: string): string | undefined {
  const literal = /\bschema\s*:\s*['"]([^'"]+)['"]/.exec(config)?.[1];
  if (literal) return literal;
  const call = /\bschema\s*:\s*(?:path\.)?(?:join|resolve)\(([^)]*)\)/.exec(config)?.[1];
  if (!call) return undefined;
  const parts = call.split(',').map((part) => part.trim());
  if (parts.length > 0 && /^(?:__dirname|import\.meta\.dirname|process\.cwd\(\s*)$/.test(parts[0])) parts.shift();
  const strings = parts.map((part) => /^['"]([^'"]*)['"]$/.exec(part)?.[1]);
  return strings.length > 0 && strings.every((part) => part !== undefined) ? join(...(strings as string[])) : undefined;
}

/** A schema folder's `.prisma` files, sub-folders included (`prisma/models/user.prisma`), as Prisma reads them. */
function schemaFilesUnder(directory: string, depth = 0): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(directory, entry.name);
    if (entry.isFile() && entry.name.endsWith('.prisma')) files.push(path);
    else if (entry.isDirectory() && depth < 3 && entry.name !== 'migrations' && !entry.name.startsWith('.')) files.push(...schemaFilesUnder(path, depth + 1));
  }
  return files;
}

export function parsePrismaSchema(text: string): PrismaSchema {
  const uniqueKeys = new Map<string, string[][]>();
  let provider: string | undefined;
  let relationMode: string | undefined;
  let block: 'model' | 'datasource' | 'other' | undefined;
  let keys: string[][] = [];
  let datasources = 0;
  for (const raw of text.split('\n')) {
    const code = withoutComment(raw).trim();
    // Strings emptied, so a `}`, `@unique` or `//` inside one is not read as syntax.
    const bare = code.replace(STRING, '""');
    const open = /^(model|view|type|enum|datasource|generator)\s+(\w+)\s*\{/.exec(bare);
    if (open) {
      if (open[1] === 'model') {
        keys = [];
        uniqueKeys.set(open[2].charAt(0).toLowerCase() + open[2].slice(1), keys);
        block = 'model';
      } else {
        // Prisma allows one datasource; the first one is the one it would use.
        block = open[1] === 'datasource' && ++datasources === 1 ? 'datasource' : 'other';
      }
      continue;
    }
    if (bare === '}') {
      block = undefined;
      continue;
    }
    if (block === 'datasource') {
      const setting = /^(provider|relationMode)\s*=\s*"(\w+)"$/.exec(code);
      if (setting?.[1] === 'provider') provider = setting[2];
      if (setting?.[1] === 'relationMode') relationMode = setting[2];
    } else if (block === 'model') {
      // id Int @id @default(autoincrement()), email String @unique(map: "x")
      const field = /^(\w+)\s+\S+.*@(?:id|unique)\b/.exec(bare);
      if (field) keys.push([field[1]]);
      // @@unique([a, b]), @@unique(fields: [a, b(sort: Desc, length: 10)], name: "x"), @@id(name: "x", fields: [a, b])
      const compound = /^@@(?:id|unique)\s*\((.*)\)$/.exec(bare);
      const fields = compound && fieldListOf(compound[1]);
      if (fields) keys.push(fields);
    }
  }
  return { provider, relationMode, uniqueKeys };
}

/** A Prisma string literal (no line breaks; `\"` escapes a quote). */
const STRING = /"(?:[^"\\]|\\.)*"/g;

/** The line up to its `//` or `///` comment; a `//` inside a string (a URL) is kept. */
function withoutComment(line: string): string {
  return /^(?:[^"/]|"(?:[^"\\]|\\.)*"?|\/(?!\/))*/.exec(line)?.[0] ?? line;
}

/** The field names of an index's arguments: the `fields:` list or the first positional list, each name without its `(sort: …)`. */
function fieldListOf(args: string): string[] | undefined {
  let flat = args;
  // b(sort: Desc, length: 10), b(ops: raw("")): drop the innermost parentheses until none are left.
  for (let previous = ''; previous !== flat; ) {
    previous = flat;
    flat = flat.replace(/\([^()]*\)/g, '');
  }
  const list = /^\s*\[([^\]]*)\]/.exec(flat) ?? /\bfields\s*:\s*\[([^\]]*)\]/.exec(flat);
  return list?.[1].split(',').map((name) => name.trim()).filter(Boolean);
}

/** The schema's text, all files of a multi-file schema joined. */
export function readPrismaSchemaFiles(files: string[]): PrismaSchema | undefined {
  if (files.length === 0) return undefined;
  try {
    return parsePrismaSchema(files.map((file) => readFileSync(file, 'utf8')).join('\n'));
  } catch {
    return undefined;
  }
}

interface CachedSchema {
  /** Each file's path with its mtime and size when it was read. */
  stamp: string;
  schema: PrismaSchema | undefined;
}

const cache = new Map<string, CachedSchema>();

/**
 * The Prisma schema of the project `file` belongs to (its nearest package.json directory), or of
 * `configured` (relative to `cwd`). Parsed once per file set and kept while every file's path, mtime
 * and size are the same: a few `stat`s per call, made only for files with a candidate finding. An
 * editor session sees a schema change at once; `eslint --cache` does not (it re-lints a file only when
 * the file or the config changes), so delete the cache after changing unique constraints.
 */
export function prismaSchemaFor(file: string, configured?: string, cwd = process.cwd()): PrismaSchema | undefined {
  const projectDir = configured ? cwd : nearestPackageDirectory(file);
  if (!projectDir) return undefined;
  const files = prismaSchemaFiles(projectDir, configured);
  if (files.length === 0) return undefined;
  let stamp = '';
  try {
    for (const path of files) {
      const stat = statSync(path);
      stamp += `${path}:${stat.mtimeMs}:${stat.size}\n`;
    }
  } catch {
    return undefined;
  }
  const key = files.join('\n');
  const cached = cache.get(key);
  if (cached?.stamp === stamp) return cached.schema;
  const schema = readPrismaSchemaFiles(files);
  cache.set(key, { stamp, schema });
  return schema;
}

/** The unique keys of a model, or undefined when the schema does not define the model. */
export function uniqueKeysOf(schema: PrismaSchema | undefined, model: string): string[][] | undefined {
  return schema?.uniqueKeys.get(model);
}

/** The first unique key whose fields are all among `fields`: two rows with those values cannot both exist. */
export function uniqueKeyWithin(schema: PrismaSchema | undefined, model: string, fields: readonly string[]): string[] | undefined {
  return uniqueKeysOf(schema, model)?.find((key) => key.every((field) => fields.includes(field)));
}

/** Whether the `where` fields are exactly one unique key of the model. */
export function isUniqueWhere(schema: PrismaSchema | undefined, model: string, fields: string[]): boolean {
  const keys = schema?.uniqueKeys.get(model);
  if (!keys) return false;
  return keys.some((key) => key.length === fields.length && key.every((field) => fields.includes(field)));
}

/** A native `INSERT … ON CONFLICT` upsert needs one of these databases and Prisma not emulating relations. */
export function supportsNativeUpsert(schema: PrismaSchema | undefined): boolean {
  return schema !== undefined && ['postgresql', 'postgres', 'cockroachdb', 'sqlite'].includes(schema.provider ?? '') && schema.relationMode !== 'prisma';
}

/**
 * `createMany({ skipDuplicates: true })` (`INSERT … ON CONFLICT DO NOTHING`) inside a transaction, then a
 * read that sees the other transaction's row: PostgreSQL only. Prisma has no skipDuplicates on MongoDB,
 * SQL Server or SQLite; MySQL's REPEATABLE READ snapshot, taken at the transaction's first read, would
 * not show the row another transaction inserted, so the read after it would find nothing.
 */
export function supportsSkipDuplicatesInTransaction(schema: PrismaSchema | undefined): boolean {
  return schema !== undefined && ['postgresql', 'postgres'].includes(schema.provider ?? '');
}
