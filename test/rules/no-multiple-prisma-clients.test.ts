import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/no-multiple-prisma-clients';

const ruleTester = new RuleTester();
const imp = "import { PrismaClient } from '@prisma/client';\n";

ruleTester.run('no-multiple-prisma-clients', rule, {
  valid: [
    // The exported singleton, in every export style.
    `${imp}export const prisma = new PrismaClient();`,
    `${imp}const prisma = new PrismaClient({ log: ['error'] });\nexport default prisma;`,
    `${imp}export default new PrismaClient();`,
    `${imp}const prisma = new PrismaClient();\nexport { prisma };`,
    "const { PrismaClient } = require('@prisma/client');\nconst prisma = new PrismaClient();\nmodule.exports = prisma;",
    "const { PrismaClient } = require('@prisma/client');\nconst prisma = new PrismaClient();\nmodule.exports = { prisma };",
    "const { PrismaClient } = require('@prisma/client');\nexports.prisma = new PrismaClient();",
    // The key whose value is the client, not the first key; an aliased re-export; an inline CommonJS client; `export =`.
    "const { PrismaClient } = require('@prisma/client');\nconst logger = require('./logger');\nconst prisma = new PrismaClient();\nmodule.exports = { logger, db: prisma };",
    `${imp}const client = new PrismaClient();\nexport { client as prisma };`,
    "const { PrismaClient } = require('@prisma/client');\nmodule.exports = { prisma: new PrismaClient() };",
    `${imp}const prisma = new PrismaClient();\nexport = prisma;`,
    // Prisma 7 generated client with its adapter, $extends chained.
    "import { PrismaPg } from '@prisma/adapter-pg';\nimport { PrismaClient } from '../generated/prisma/client';\nconst adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });\nexport const prisma = new PrismaClient({ adapter }).$extends({});",
    // The Next.js globalThis-cached singleton, both common forms.
    `${imp}const globalForPrisma = globalThis as unknown as { prisma: PrismaClient };
export const prisma = globalForPrisma.prisma || new PrismaClient();
if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;`,
    `${imp}const prismaClientSingleton = () => {
  return new PrismaClient();
};
declare const globalThis: { prismaGlobal: ReturnType<typeof prismaClientSingleton> } & typeof global;
const prisma = globalThis.prismaGlobal ?? prismaClientSingleton();
export default prisma;
if (process.env.NODE_ENV !== 'production') globalThis.prismaGlobal = prisma;`,
    // Lazy singletons cached outside the function.
    `${imp}export function getPrisma() {
  return (globalThis.prisma ??= new PrismaClient());
}`,
    `${imp}let client: PrismaClient | undefined;
export function db() {
  if (!client) client = new PrismaClient();
  return client;
}`,
    // NestJS: one instance by injection, and the PrismaModule that exports it.
    `${imp}import { Injectable, OnModuleInit } from '@nestjs/common';
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit {
  async onModuleInit() { await this.$connect(); }
}`,
    "import { Global, Module } from '@nestjs/common';\nimport { PrismaService } from './prisma.service';\n@Global()\n@Module({ providers: [PrismaService], exports: [PrismaService] })\nexport class PrismaModule {}",
    "import { Module } from '@nestjs/common';\n@Module({ imports: [PrismaModule], providers: [UsersService] })\nexport class UsersModule {}",
    // A second datasource: its own database, its own pool by design.
    `${imp}export const prisma = new PrismaClient();\nconst analytics = new PrismaClient({ datasourceUrl: process.env.ANALYTICS_DATABASE_URL });\nexport { analytics };`,
    `${imp}export async function report() {\n  const warehouse = new PrismaClient({ datasources: { db: { url: process.env.WAREHOUSE_URL } } });\n  return warehouse;\n}`,
    // Test files create their own clients (documented default, configurable).
    { code: `${imp}const prisma = new PrismaClient();`, filename: 'src/users.test.ts' },
    { code: `${imp}const prisma = new PrismaClient();`, filename: 'test/setup.ts' },
    // Something else called PrismaClient.
    "import { PrismaClient } from './fake-client';\nconst fake = new PrismaClient();",
    'class PrismaClient {}\nfunction make() { return new PrismaClient(); }',
    // The configured singleton module.
    { code: `${imp}const prisma = new PrismaClient();\nexport default prisma;`, filename: 'src/lib/prisma.ts', options: [{ singletonModule: ['src/lib/prisma.ts'] }] },
  ],
  invalid: [
    {
      // Seed 000: prisma/seed.ts creates its own client next to the server's.
      code: `${imp}const prisma = new PrismaClient();\nasync function main() {}\nmain().finally(() => prisma.$disconnect());`,
      errors: [{ messageId: 'privateClient', line: 2, column: 16 }],
    },
    {
      code: `import express from 'express';\n${imp}const app = express();\napp.get('/users', async (req, res) => {\n  const prisma = new PrismaClient();\n  try {\n    res.json(await prisma.user.findMany());\n  } finally {\n    await prisma.$disconnect();\n  }\n});`,
      errors: [{ messageId: 'clientPerCall', line: 5, column: 18 }],
    },
    {
      code: `${imp}export const prisma = new PrismaClient();\nexport const replica = new PrismaClient();`,
      errors: [{ messageId: 'secondClient', line: 3 }],
    },
    {
      code: "import { PrismaClient as DB } from '@prisma/client';\nexport class UserService {\n  private db = new DB();\n}",
      errors: [{ messageId: 'clientPerCall', line: 3 }],
    },
    {
      code: "import * as Prisma from '@prisma/client';\nexport class Jobs {\n  constructor() { this.client = new Prisma.PrismaClient(); }\n}",
      errors: [{ messageId: 'clientPerCall' }],
    },
    {
      code: "const { PrismaClient: Client } = require('@prisma/client');\nfor (const tenant of tenants) {\n  tenant.db = new Client();\n}",
      errors: [{ messageId: 'privateClient' }],
    },
    {
      code: "export function handler() {\n  return new (require('@prisma/client').PrismaClient)();\n}",
      errors: [{ messageId: 'clientPerCall' }],
    },
    {
      code: `${imp}export const prisma = new PrismaClient();`,
      filename: 'src/jobs/cleanup.ts',
      options: [{ singletonModule: ['src/lib/prisma.ts'] }],
      errors: [{ messageId: 'outsideSingleton', data: { singleton: 'src/lib/prisma.ts' } }],
    },
    {
      code: "import { Module } from '@nestjs/common';\nimport { PrismaService } from '../prisma/prisma.service';\n@Module({ providers: [UsersService, PrismaService] })\nexport class UsersModule {}",
      errors: [{ messageId: 'providerNotExported', data: { provider: 'PrismaService' }, line: 3, column: 37 }],
    },
    {
      // A framework plugin is what this module exports, not its client: the client is private to it.
      code: `import fp from 'fastify-plugin';\n${imp}const prisma = new PrismaClient();\nexport default fp(async (app) => { app.decorate('prisma', prisma); });`,
      errors: [{ messageId: 'privateClient', line: 3 }],
    },
    {
      code: `${imp}export default { name: 'prisma', client: new PrismaClient() };`,
      errors: [{ messageId: 'privateClient', line: 2 }],
    },
    {
      code: `import { PrismaClient, User } from '@prisma/client';\nconst prisma = new PrismaClient();\nclass UserRepository {\n  findAll(): Promise<User[]> { return prisma.user.findMany(); }\n}\nexport default UserRepository;`,
      errors: [{ messageId: 'privateClient', line: 2 }],
    },
    {
      code: `${imp}const prisma = new PrismaClient();`,
      filename: 'src/users.test.ts',
      options: [{ ignoreFiles: [] }],
      errors: [{ messageId: 'privateClient' }],
    },
  ],
});
