import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PrismaSchema {
  provider?: string;
  relationMode?: string;
  /** Per model (lower-camel-cased as the client names it): each unique key as its field list. */
  uniqueKeys: Map<string, string[][]>;
}

/** The schema's text: prisma.config.ts `schema`, package.json `prisma.schema`, `prisma/schema.prisma`, or a `prisma/schema/` folder. */
export function readPrismaSchema(projectDir: string): PrismaSchema | undefined {
  const candidates: string[] = [];
  const config = ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.js'].map((name) => join(projectDir, name)).find(existsSync);
  const configured = config && /schema\s*:\s*['"]([^'"]+)['"]/.exec(readFileSync(config, 'utf8'))?.[1];
  if (configured) candidates.push(join(projectDir, configured));
  try {
    const fromPackage = (JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { prisma?: { schema?: string } }).prisma?.schema;
    if (fromPackage) candidates.push(join(projectDir, fromPackage));
  } catch {
    // no or invalid package.json
  }
  candidates.push(join(projectDir, 'prisma', 'schema.prisma'), join(projectDir, 'schema.prisma'), join(projectDir, 'prisma', 'schema'));
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const text = candidate.endsWith('.prisma')
      ? readFileSync(candidate, 'utf8')
      : readdirSync(candidate).filter((name) => name.endsWith('.prisma')).map((name) => readFileSync(join(candidate, name), 'utf8')).join('\n');
    return parsePrismaSchema(text);
  }
  return undefined;
}

export function parsePrismaSchema(text: string): PrismaSchema {
  const datasource = /datasource\s+\w+\s*\{([^}]*)\}/.exec(text)?.[1] ?? '';
  const uniqueKeys = new Map<string, string[][]>();
  // Line by line, so a `}` inside a default (`@default("{}")`) does not end the model.
  let keys: string[][] | undefined;
  for (const line of text.split('\n').map((item) => item.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/\/.*$/, '').trim())) {
    const model = /^model\s+(\w+)\s*\{/.exec(line);
    if (model) {
      keys = [];
      uniqueKeys.set(model[1].charAt(0).toLowerCase() + model[1].slice(1), keys);
      continue;
    }
    if (!keys) continue;
    if (line === '}') {
      keys = undefined;
      continue;
    }
    const field = /^(\w+)\s+\S+.*@(?:id|unique)\b/.exec(line);
    if (field) keys.push([field[1]]);
    const compound = /^@@(?:id|unique)\s*\(\s*(?:fields\s*:\s*)?\[([^\]]*)\]/.exec(line);
    if (compound) keys.push(compound[1].split(',').map((name) => name.trim().replace(/\(.*$/, '')).filter(Boolean));
  }
  return {
    provider: /provider\s*=\s*"(\w+)"/.exec(datasource)?.[1],
    relationMode: /relationMode\s*=\s*"(\w+)"/.exec(datasource)?.[1],
    uniqueKeys,
  };
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
