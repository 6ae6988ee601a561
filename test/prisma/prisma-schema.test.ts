import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isUniqueWhere,
  parsePrismaSchema,
  prismaSchemaFiles,
  readPrismaSchemaFiles,
  supportsNativeUpsert,
  supportsSkipDuplicatesInTransaction,
  uniqueKeysOf,
  uniqueKeyWithin,
  type PrismaSchema,
} from '../../src/prisma/prisma-schema';

/** The schema as a plain object, so one `toEqual` states all of it. */
function plain(schema: PrismaSchema | undefined) {
  return schema && { provider: schema.provider, relationMode: schema.relationMode, uniqueKeys: Object.fromEntries(schema.uniqueKeys) };
}

const read = (text: string) => plain(parsePrismaSchema(text));

const postgres = `datasource db {
  provider = "postgresql"
}
`;

describe('parsePrismaSchema', () => {
  it('reads no key, model or datasource out of `//` and `///` comments', () => {
    expect(read(`${postgres}
// model Ghost {
//   id Int @id
// }
/// The user. @unique } @@unique([email, name])
model User {
  id    Int    @id // @unique after the attribute
  /// email @unique in a doc comment
  email String
  name  String // @unique
  // @@unique([email, name])
}
`)).toEqual({ provider: 'postgresql', relationMode: undefined, uniqueKeys: { user: [['id']] } });
  });

  it('reads @unique and @id with arguments', () => {
    expect(read(`${postgres}
model User {
  id    Int    @id @default(autoincrement())
  email String @unique(map: "user_email_key")
  slug  String @db.VarChar(255) @unique(length: 10)
  other String @unique(sort: Desc, length: 10)
  code  String @id@unique
}
`)?.uniqueKeys).toEqual({ user: [['id'], ['email'], ['slug'], ['other'], ['code']] });
  });

  it('reads each @@unique field list: positional or `fields:`, named, mapped, with per-field arguments', () => {
    expect(read(`${postgres}
model Member {
  orgId  String
  userId String
  role   String
  a      String
  b      String

  @@unique([orgId, userId], name: "membership")
  @@unique(fields: [role, a(sort: Desc)])
  @@unique(name: "ab", fields: [a(sort: Desc, length: 10), b(ops: raw("text_ops, x"))], map: "ab_key")
  @@unique([role,b])
  @@index([a, b])
}
`)?.uniqueKeys).toEqual({ member: [['orgId', 'userId'], ['role', 'a'], ['a', 'b'], ['role', 'b']] });
  });

  it('reads @@id, positional or named', () => {
    expect(read(`${postgres}
model Pair {
  a String
  b String

  @@id([a, b])
}

model Named {
  a String
  b String

  @@id(name: "ab", fields: [a, b], map: "named_pk")
}
`)?.uniqueKeys).toEqual({ pair: [['a', 'b']], named: [['a', 'b']] });
  });

  it('reads @id next to @default and native types', () => {
    expect(read(`${postgres}
model Post {
  id   String @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  uuid String @default(uuid()) @unique
  n    Int    @default(autoincrement())
}
`)?.uniqueKeys).toEqual({ post: [['id'], ['uuid']] });
  });

  it('reads nothing out of strings: a `}`, `@unique`, `@@unique(…)` or `//` inside one is text', () => {
    expect(read(`${postgres}
model Config {
  id   Int    @id
  json Json   @default("{}")
  note String @default("} @unique @@unique([json])")
  esc  String @default("a quote \\" } @id")
  url  String @default("https://example.com/@unique")
  key  String @unique
}

model After {
  id Int @id
}
`)?.uniqueKeys).toEqual({ config: [['id'], ['key']], after: [['id']] });
  });

  it('keeps only models: a view, a composite type (MongoDB) and an enum are not client models with keys', () => {
    expect(read(`datasource db {
  provider = "mongodb"
  url      = env("DATABASE_URL")
}

type Address {
  street String
  zip    String @unique
}

view UserInfo {
  id    Int    @unique
  email String
}

enum Role {
  USER  @map("user")
  ADMIN
  @@map("roles")
}

model Customer {
  id      String  @id @default(auto()) @map("_id") @db.ObjectId
  address Address
  role    Role
}
`)).toEqual({ provider: 'mongodb', relationMode: undefined, uniqueKeys: { customer: [['id']] } });
  });

  it('reads the datasource among several generators, the first datasource when there are several', () => {
    expect(read(`generator client {
  provider = "prisma-client-js"
}

generator zod {
  provider = "zod-prisma-types"
}

datasource db {
  provider     = "mysql"
  url          = env("DATABASE_URL")
  relationMode = "prisma"
}

datasource other {
  provider = "sqlite"
}
`)).toEqual({ provider: 'mysql', relationMode: 'prisma', uniqueKeys: {} });
  });

  it('reads provider and relationMode, not a commented-out datasource or setting, nor a `}` in the url', () => {
    expect(read(`// datasource old {
//   provider = "sqlite"
// }
datasource db {
  // provider = "mysql"
  provider     = "postgresql" // was "mysql"
  url          = "postgresql://user:pass@host/db?options={}"
  relationMode = "prisma"
}
`)).toEqual({ provider: 'postgresql', relationMode: 'prisma', uniqueKeys: {} });
    expect(read('datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n')).toEqual({ provider: 'postgresql', relationMode: undefined, uniqueKeys: {} });
    expect(read('model Post {\n  id Int @id\n}\n')).toEqual({ provider: undefined, relationMode: undefined, uniqueKeys: { post: [['id']] } });
  });

  it('names a model as the client does: first letter lower-cased, @@map aside', () => {
    expect(read(`${postgres}
model UserAccount {
  id Int @id

  @@map("user_accounts")
}

model URLRecord {
  id Int @id
}

model user_profile {
  id Int @id
}
`)?.uniqueKeys).toEqual({ userAccount: [['id']], uRLRecord: [['id']], user_profile: [['id']] });
  });

  it('reads Windows line ends, tabs and unaligned fields', () => {
    expect(read(`${postgres}model A {\n\tid Int @id\n\tb String @unique\n@@unique([id,b])\n}\n`.replace(/\n/g, '\r\n'))).toEqual({
      provider: 'postgresql',
      relationMode: undefined,
      uniqueKeys: { a: [['id'], ['b'], ['id', 'b']] },
    });
  });

  it('gives an empty model no keys', () => {
    expect(read(`${postgres}model Empty {\n}\n`)?.uniqueKeys).toEqual({ empty: [] });
  });
});

describe('a multi-file schema (prisma/schema/*.prisma)', () => {
  it('is read as one schema: the datasource in one file, the models in others', () => {
    const project = mkdtempSync(join(tmpdir(), 'deploy-safe-prisma-schema-'));
    try {
      mkdirSync(join(project, 'prisma', 'schema'), { recursive: true });
      writeFileSync(join(project, 'prisma', 'schema', 'schema.prisma'), 'datasource db {\n  provider = "cockroachdb"\n}\n');
      writeFileSync(join(project, 'prisma', 'schema', 'user.prisma'), 'model User {\n  id    Int    @id\n  email String @unique\n}');
      writeFileSync(join(project, 'prisma', 'schema', 'post.prisma'), 'model Post {\n  id       Int @id\n  authorId Int\n  slug     String\n\n  @@unique([authorId, slug])\n}');
      writeFileSync(join(project, 'prisma', 'schema', 'notes.md'), 'model Ignored {\n  id Int @id\n}\n');
      const files = prismaSchemaFiles(project);
      expect(files.map((file) => file.slice(project.length))).toEqual(['/prisma/schema/post.prisma', '/prisma/schema/schema.prisma', '/prisma/schema/user.prisma']);
      expect(plain(readPrismaSchemaFiles(files))).toEqual({
        provider: 'cockroachdb',
        relationMode: undefined,
        uniqueKeys: { post: [['id'], ['authorId', 'slug']], user: [['id'], ['email']] },
      });
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe('a schema folder named by prisma.config.ts (rallly: `schema: path.join(__dirname, "prisma")`, models in prisma/models/)', () => {
  const configs: [string, string][] = [
    ['path.join(__dirname, …)', 'import path from "node:path";\nexport default defineConfig({\n  schema: path.join(__dirname, "prisma"),\n  migrations: { path: path.join(__dirname, "prisma/migrations") },\n});\n'],
    ['path.resolve(import.meta.dirname, …)', "export default defineConfig({ schema: path.resolve(import.meta.dirname, 'prisma') });\n"],
    ['a string', "export default defineConfig({ schema: 'prisma' });\n"],
  ];
  for (const [shape, config] of configs) {
    it(`reads every .prisma file below it, sub-folders included, not the migrations: ${shape}`, () => {
      const project = mkdtempSync(join(tmpdir(), 'deploy-safe-prisma-schema-'));
      try {
        mkdirSync(join(project, 'prisma', 'models'), { recursive: true });
        mkdirSync(join(project, 'prisma', 'migrations', '0_init'), { recursive: true });
        writeFileSync(join(project, 'prisma.config.ts'), config);
        writeFileSync(join(project, 'prisma', 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\n');
        writeFileSync(join(project, 'prisma', 'models', 'user.prisma'), 'model User {\n  id    String @id\n  email String @unique\n}\n');
        writeFileSync(join(project, 'prisma', 'migrations', '0_init', 'old.prisma'), 'model Old {\n  id Int @id\n}\n');
        const files = prismaSchemaFiles(project);
        expect(files.map((file) => file.slice(project.length))).toEqual(['/prisma/models/user.prisma', '/prisma/schema.prisma']);
        expect(plain(readPrismaSchemaFiles(files))).toEqual({ provider: 'postgresql', relationMode: undefined, uniqueKeys: { user: [['id'], ['email']] } });
      } finally {
        rmSync(project, { recursive: true, force: true });
      }
    });
  }
});

// Each of the repo's schema fixtures, as the parser before comments, strings and nested field arguments were
// handled read it, and as the grammar-based @loancrate/prisma-schema-parser 3.0.0 and @mrleebo/prisma-ast 0.15.0 read it.
describe("the repo's schema fixtures read as before", () => {
  const root = join(__dirname, '..', '..');
  const achievement = [['id'], ['name']];
  const user = [['id'], ['email']];
  it.each<[string, ReturnType<typeof plain>]>([
    ['test/codemods/__testfixtures__/no-db-push-script/mongo/prisma/schema.prisma', { provider: 'mongodb', relationMode: undefined, uniqueKeys: {} }],
    ['test/codemods/__testfixtures__/no-db-push-script/seed-railway/prisma/schema.prisma', { provider: 'postgresql', relationMode: undefined, uniqueKeys: { user, achievement } }],
    ['test/codemods/__testfixtures__/no-findunique-then-create/mysql/prisma/schema.prisma', { provider: 'mysql', relationMode: undefined, uniqueKeys: { achievement } }],
    [
      'test/codemods/__testfixtures__/no-findunique-then-create/prisma/schema.prisma',
      {
        provider: 'postgresql',
        relationMode: undefined,
        uniqueKeys: {
          user,
          achievement,
          post: [['id']],
          rootCauseAnalysis: [['id'], ['actionItemId']],
          users: [['id'], ['email']],
          ratings: [['id'], ['user_id', 'store_id']],
          registUmamusumeRaceTable: [['id'], ['user_id', 'umamusume_id', 'race_id']],
          token: [['id'], ['emailToken']],
          tenant: [['id']],
          tag: [['id'], ['name']],
          approval: [['id']],
        },
      },
    ],
    ['test/proof/fixtures/no-db-push-script/mongo/prisma/schema.prisma', { provider: 'mongodb', relationMode: undefined, uniqueKeys: {} }],
    ['test/proof/fixtures/no-db-push-script/project/prisma/schema.prisma', { provider: 'postgresql', relationMode: undefined, uniqueKeys: { user, achievement } }],
    [
      'test/proof/fixtures/no-findunique-then-create/schema.prisma',
      { provider: 'postgresql', relationMode: undefined, uniqueKeys: { user, approval: [['id']], rating: [['id'], ['userId', 'storeId']] } },
    ],
    ['test/proof/fixtures/pg-pool-requires-timeout/schema.prisma', { provider: 'postgresql', relationMode: undefined, uniqueKeys: { probe: [['id']] } }],
    [
      'test/rules/fixtures/no-findunique-then-create/schema.prisma',
      {
        provider: 'postgresql',
        relationMode: undefined,
        uniqueKeys: {
          user,
          tag: [['id'], ['name']],
          achievement,
          approval: [['id']],
          post: [['id']],
          membership: [['id'], ['userId', 'teamId']],
          job: [['id']],
          jobResult: [['id'], ['jobId']],
          order: [['id']],
          orderStats: [['orderId']],
        },
      },
    ],
  ])('%s', (file, expected) => {
    expect(plain(readPrismaSchemaFiles([join(root, file)]))).toEqual(expected);
  });
});

describe('what the rules ask of a schema', () => {
  const schema = parsePrismaSchema(`${postgres}
model Membership {
  id     Int @id
  userId Int
  teamId Int

  @@unique([userId, teamId])
}
`);

  it('finds the unique key a where or create data covers', () => {
    expect(uniqueKeysOf(schema, 'membership')).toEqual([['id'], ['userId', 'teamId']]);
    expect(uniqueKeysOf(schema, 'team')).toBeUndefined();
    expect(uniqueKeyWithin(schema, 'membership', ['teamId', 'userId', 'role'])).toEqual(['userId', 'teamId']);
    expect(uniqueKeyWithin(schema, 'membership', ['userId'])).toBeUndefined();
    expect(isUniqueWhere(schema, 'membership', ['teamId', 'userId'])).toBe(true);
    expect(isUniqueWhere(schema, 'membership', ['teamId', 'userId', 'id'])).toBe(false);
  });

  it('knows which databases upsert natively and which see another transaction\'s skipped duplicate', () => {
    expect(supportsNativeUpsert(schema)).toBe(true);
    expect(supportsSkipDuplicatesInTransaction(schema)).toBe(true);
    const sqlite = parsePrismaSchema('datasource db {\n  provider = "sqlite"\n}\n');
    expect(supportsNativeUpsert(sqlite)).toBe(true);
    expect(supportsSkipDuplicatesInTransaction(sqlite)).toBe(false);
    expect(supportsNativeUpsert(parsePrismaSchema('datasource db {\n  provider     = "postgresql"\n  relationMode = "prisma"\n}\n'))).toBe(false);
    expect(supportsNativeUpsert(undefined)).toBe(false);
  });
});
