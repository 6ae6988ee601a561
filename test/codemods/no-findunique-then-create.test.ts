import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import transform from '../../codemods/no-findunique-then-create';
import { isUniqueWhere, parsePrismaSchema, supportsNativeUpsert } from '../../src/prisma/prisma-schema';
import rule from '../../src/rules/no-findunique-then-create';
import { defineFixtureTests } from '../helpers/run-codemod';

const schemaDir = join(__dirname, '__testfixtures__', 'no-findunique-then-create');

// `mysql-*` cases run against a MySQL schema: there no createMany({ skipDuplicates }) stands in for a create inside a transaction.
defineFixtureTests('no-findunique-then-create', transform, { name: 'no-findunique-then-create', module: rule }, (caseName) => ({
  'schema-dir': caseName.startsWith('mysql-') ? join(schemaDir, 'mysql') : schemaDir,
}));

describe('the Prisma schema as the codemod reads it', () => {
  const schema = parsePrismaSchema(`datasource db {
  provider     = "postgresql"
  relationMode = "foreignKeys"
}

model RegistUmamusumeRaceTable {
  id           Int    @id @default(autoincrement())
  user_id      String @db.Uuid
  umamusume_id Int
  race_id      Int
  meta         Json   @default("{}") // a brace in a default does not end the model
  slug         String @unique

  @@unique([user_id, umamusume_id, race_id])
  @@unique(fields: [slug, race_id(sort: Desc)], name: "slug_race")
}
`);

  it('names models as the client does, with every unique key (fields, @@unique, compound names and sort orders)', () => {
    expect(schema.uniqueKeys.get('registUmamusumeRaceTable')).toEqual([['id'], ['slug'], ['user_id', 'umamusume_id', 'race_id'], ['slug', 'race_id']]);
  });

  it('a where is unique only when it is exactly one key, in any order', () => {
    expect(isUniqueWhere(schema, 'registUmamusumeRaceTable', ['race_id', 'user_id', 'umamusume_id'])).toBe(true);
    expect(isUniqueWhere(schema, 'registUmamusumeRaceTable', ['user_id', 'race_id'])).toBe(false);
    expect(isUniqueWhere(undefined, 'registUmamusumeRaceTable', ['id'])).toBe(false);
  });

  it('native upserts: PostgreSQL, CockroachDB and SQLite, relations not emulated', () => {
    expect(supportsNativeUpsert(schema)).toBe(true);
    expect(supportsNativeUpsert(parsePrismaSchema('datasource db {\n  provider = "mysql"\n}'))).toBe(false);
    expect(supportsNativeUpsert(parsePrismaSchema('datasource db {\n  provider     = "postgresql"\n  relationMode = "prisma"\n}'))).toBe(false);
  });
});
