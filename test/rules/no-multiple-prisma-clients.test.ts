import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/no-multiple-prisma-clients';
import { lintWithRule } from '../helpers/run-codemod';
import { scratchDirectory } from '../helpers/scratch';

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
    // Made once by the framework. NestJS: a factory provider, its value form, and a module-level client given as `useValue`.
    `import { Global, Module } from '@nestjs/common';
${imp}@Global()
@Module({
  providers: [{ provide: PrismaClient, useFactory: () => { const prisma = new PrismaClient(); return prisma; } }],
  exports: [PrismaClient],
})
export class PrismaModule {}`,
    `import { Provider } from '@nestjs/common';
${imp}export const prismaProvider: Provider = {
  provide: 'PRISMA',
  useFactory: () => {
    const prisma = new PrismaClient();
    prisma.$connect();
    return prisma;
  },
};`,
    `import { Global, Module } from '@nestjs/common';
${imp}const prisma = new PrismaClient();
@Global()
@Module({ providers: [{ provide: PrismaClient, useValue: prisma }], exports: [PrismaClient] })
export class PrismaModule {}`,
    // Nest: the app's own PrismaService made by its factory provider.
    `import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
@Global()
@Module({ providers: [{ provide: PrismaService, useFactory: () => new PrismaService() }], exports: [PrismaService] })
export class PrismaModule {}`,
    // Nest: a @Global() module exporting its providers through a getter, and PrismaService in the one module that provides it.
    `import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
const providers = [PrismaService];
@Global()
@Module({ providers, get exports() { return providers; } })
export class PrismaModule {}`,
    "import { Module } from '@nestjs/common';\nimport { PrismaService } from '../prisma/prisma.service';\n@Module({ controllers: [UsersController], providers: [UsersService, PrismaService] })\nexport class UsersModule {}",
    // Nest: the wrapper provider that holds the client, as a field or in its constructor (one instance by injection).
    `import { Injectable } from '@nestjs/common';
${imp}@Injectable()
export class PrismaService {
  prismaClient = new PrismaClient();
}`,
    `import { Injectable } from '@nestjs/common';
${imp}@Injectable()
export class PrismaService {
  public prismaClient: PrismaClient;
  constructor() {
    this.prismaClient = new PrismaClient();
  }
}`,
    // Nest: a factory-made extended client as PrismaService's base class (Prisma's documented $extends workaround).
    `import { Injectable, OnModuleInit } from '@nestjs/common';
${imp}function createPrismaClientWithExtension() {
  const client = () => new PrismaClient().$extends({});
  return class {
    constructor() {
      return client();
    }
  } as new () => ReturnType<typeof client>;
}
@Injectable()
export class PrismaService extends createPrismaClientWithExtension() implements OnModuleInit {
  async onModuleInit() { await this.$connect(); }
}`,
    `import { Injectable } from '@nestjs/common';
${imp}const extendedClient = () => new PrismaClient().$extends({});
const ExtendedPrismaClient = class {
  constructor() {
    return extendedClient();
  }
} as new () => ReturnType<typeof extendedClient>;
@Injectable()
export class PrismaService extends ExtendedPrismaClient {}`,
    // Fastify: the plugin from Prisma's Fastify guide (fastify-plugin, ESM and CommonJS), a named plugin, plain register.
    `import fp from 'fastify-plugin';
${imp}export default fp(async (server) => {
  const prisma = new PrismaClient();
  await prisma.$connect();
  server.decorate('prisma', prisma);
  server.addHook('onClose', async (server) => { await server.prisma.$disconnect(); });
});`,
    `const fp = require('fastify-plugin');
const { PrismaClient } = require('@prisma/client');
module.exports = fp(async function (fastify) {
  const prisma = new PrismaClient();
  await prisma.$connect();
  fastify.decorate('prisma', prisma);
});`,
    `import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
${imp}const prismaPlugin: FastifyPluginAsync = async (fastify) => {
  const prisma = new PrismaClient();
  fastify.decorate('prisma', prisma);
};
export default fp(prismaPlugin);`,
    `import Fastify from 'fastify';
${imp}const app = Fastify();
app.register(async (instance) => {
  instance.decorate('prisma', new PrismaClient());
});`,
    // Fastify: a module-level client the plugin decorates the app with — the framework shares it.
    `import fp from 'fastify-plugin';
${imp}const prisma = new PrismaClient();
export default fp(async (app) => {
  app.decorate('prisma', prisma);
  app.addHook('onClose', async () => { await prisma.$disconnect(); });
});`,
    // Hapi: a plugin's register runs once per server.
    `import Hapi from '@hapi/hapi';
${imp}const prismaPlugin: Hapi.Plugin<null> = {
  name: 'prisma',
  register: async function (server: Hapi.Server) {
    const prisma = new PrismaClient();
    server.app.prisma = prisma;
  },
};
export default prismaPlugin;`,
    // Caches recognised by what they do: @epic-web/remember, a local helper that stores what its callback returns.
    `import { remember } from '@epic-web/remember';
${imp}export const prisma = remember('prisma', () => new PrismaClient());`,
    `${imp}function singleton<T>(name: string, make: () => T): T {
  const store = globalThis as unknown as Record<string, T>;
  store[name] ??= make();
  return store[name];
}
export const db = singleton('prisma', () => new PrismaClient());`,
    // documenso (packages/prisma/index.ts): an imported helper with the cache-call shape, a name and a factory.
    `${imp}import { remember } from './utils/remember';
const prisma = remember(
  'prisma',
  () =>
    new PrismaClient({
      datasourceUrl: getDatabaseUrl(),
      transactionOptions: { maxWait: 5000, timeout: 10000 },
    }),
);
export { prisma };`,
    // Epic Stack (app/utils/db.server.ts): the app's own \`./singleton.server\`.
    `${imp}import { singleton } from './singleton.server';
export const prisma = singleton('prisma', () => {
  const client = new PrismaClient({ log: [{ level: 'query', emit: 'event' }] });
  void client.$connect();
  return client;
});`,
    // documenso's helper itself, in the same file: it stores what the callback returns in a Map on globalThis.
    `${imp}export function remember<T>(name: string, getValue: () => T): T {
  const thusly = globalThis;
  if (!thusly.__prisma_remember) thusly.__prisma_remember = new Map();
  if (!thusly.__prisma_remember.has(name)) thusly.__prisma_remember.set(name, getValue());
  return thusly.__prisma_remember.get(name);
}
export const prisma = remember('prisma', () => new PrismaClient());`,
    {
      // formbricks' seed: built with the app's adapter factory, disconnected at the end: nothing left to change.
      code: `import { PrismaClient } from './prisma';
import { createPrismaPgAdapter } from './prisma-adapter';
const prisma = new PrismaClient({ adapter: createPrismaPgAdapter().adapter });
async function main() {}
main()
  .catch(() => process.exit(1))
  .finally(() => {
    prisma.$disconnect().catch(() => {});
  });`,
      filename: 'packages/database/src/seed.ts',
    },
    `${imp}export function getPrisma() {
  globalThis.__prisma ??= new PrismaClient();
  return globalThis.__prisma;
}`,
    // The old Next.js pattern: two constructions, one client (production or the dev global).
    `${imp}let prisma: PrismaClient;
if (process.env.NODE_ENV === 'production') {
  prisma = new PrismaClient();
} else {
  if (!global.__db__) {
    global.__db__ = new PrismaClient();
  }
  prisma = global.__db__;
}
export { prisma };`,
    // A class instantiated once, at load.
    `${imp}class Database {
  client = new PrismaClient();
}
export const database = new Database();`,
    // ESM importing the CommonJS client package by default: \`const { PrismaClient } = pkg\`.
    "import pkg from '@prisma/client';\nconst { PrismaClient } = pkg;\nexport const prisma = new PrismaClient();",
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
      // Seed 000: prisma/seed.ts creates its own client next to the server's. It runs as its own process: the
      // message says what importing the app's client changes there (its settings, not its connection count).
      code: `${imp}const prisma = new PrismaClient();\nasync function main() {}\nmain().finally(() => prisma.$disconnect());`,
      filename: 'prisma/seed.ts',
      errors: [{ messageId: 'scriptClient', line: 2, column: 16 }],
    },
    {
      // The same seed without its `$disconnect()`: the app's settings, but the advice to disconnect still applies.
      code: `import { PrismaClient } from './prisma';
import { createPrismaPgAdapter } from './prisma-adapter';
const prisma = new PrismaClient({ adapter: createPrismaPgAdapter().adapter });
async function main() {}
void main();`,
      filename: 'packages/database/src/seed.ts',
      errors: [{ messageId: 'scriptWithoutDisconnect', line: 3 }],
    },
    {
      // An imported helper without the cache-call shape: nothing says it keeps the client.
      code: `${imp}import { withRetry } from './retry';
export async function handler() {
  const db = await withRetry(() => new PrismaClient());
  return db.user.count();
}`,
      errors: [{ messageId: 'clientPerCall', line: 4 }],
    },
    {
      // A one-off script, known by its shape: run main(), then disconnect.
      code: `${imp}const prisma = new PrismaClient();\nasync function backfill() {}\nbackfill()\n  .catch(console.error)\n  .finally(async () => {\n    await prisma.$disconnect();\n  });`,
      filename: 'src/backfill-slugs.ts',
      errors: [{ messageId: 'scriptClient', line: 2 }],
    },
    {
      // The same shape in a server is not a script: the server's own client is private to it.
      code: `import express from 'express';\n${imp}const prisma = new PrismaClient();\nconst app = express();\nasync function main() { app.listen(3000, '0.0.0.0'); }\nmain().catch(async () => { await prisma.$disconnect(); });`,
      errors: [{ messageId: 'privateClient', line: 3 }],
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
    // Misses no more: a second client next to the Next.js-docs singleton; a client inline in a constructor's arguments.
    {
      code: `${imp}const prismaClientSingleton = () => {
  return new PrismaClient();
};
const prisma = globalThis.prismaGlobal ?? prismaClientSingleton();
export default prisma;
export const admin = new PrismaClient();`,
      errors: [{ messageId: 'secondClient', line: 7 }],
    },
    {
      code: `import { AuthService } from './auth.service';
import { prisma } from './lib/prisma';
${imp}export const users = new UsersService(prisma);
export const authService = new AuthService(new PrismaClient());`,
      errors: [{ messageId: 'privateClient', line: 5, column: 44 }],
    },
    {
      code: `${imp}export const prisma = new PrismaClient();
export const authService = new AuthService(new PrismaClient());`,
      errors: [{ messageId: 'secondClient', line: 3 }],
    },
    // Nest: a second PrismaService constructed by hand, next to the one Nest provides.
    {
      code: `import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';
@Injectable()
export class ReportsService {
  private readonly prisma = new PrismaService();
}`,
      errors: [{ messageId: 'serviceByHand', data: { service: 'PrismaService' }, line: 5 }],
    },
    {
      code: "import { PrismaService } from './prisma/prisma.service';\nconst prisma = new PrismaService();\nexport async function bootstrap() { await prisma.$connect(); }",
      errors: [{ messageId: 'serviceByHand', line: 2 }],
    },
    // Nest: a service (not the PrismaService) that creates its own client: once, but one pool per such provider.
    {
      code: `import { Injectable } from '@nestjs/common';
${imp}@Injectable()
export class UsersService {
  private readonly prisma: PrismaClient;
  constructor() {
    this.prisma = new PrismaClient();
  }
}`,
      errors: [{ messageId: 'providerClient', data: { provider: 'UsersService' }, line: 7 }],
    },
    // Nest: a request-scoped provider runs its factory per request.
    {
      code: `import { Scope } from '@nestjs/common';
${imp}export const tenantPrisma = { provide: 'TENANT_PRISMA', scope: Scope.REQUEST, useFactory: () => new PrismaClient() };`,
      errors: [{ messageId: 'clientPerCall', line: 3 }],
    },
    // Nest: provided here and imported from the PrismaModule that provides it: two instances.
    {
      code: "import { Module } from '@nestjs/common';\nimport { PrismaService } from '../prisma/prisma.service';\n@Module({ imports: [PrismaModule], providers: [UsersService, PrismaService] })\nexport class UsersModule {}",
      errors: [{ messageId: 'providerAlsoImported', data: { provider: 'PrismaService', module: 'PrismaModule' }, line: 3, column: 62 }],
    },
    // Per request inside the framework's once-code: a route registered by the plugin.
    {
      code: `import fp from 'fastify-plugin';
${imp}export default fp(async (app) => {
  app.get('/users', async () => {
    const prisma = new PrismaClient();
    return prisma.user.findMany();
  });
});`,
      errors: [{ messageId: 'clientPerCall', line: 5 }],
    },
    // A Hapi route handler (not a plugin's register).
    {
      code: `${imp}server.route({ method: 'GET', path: '/users', handler: async () => new PrismaClient().user.findMany() });`,
      errors: [{ messageId: 'clientPerCall' }],
    },
    {
      code: `${imp}export const prisma = new PrismaClient();`,
      filename: 'src/jobs/cleanup.ts',
      options: [{ singletonModule: ['src/lib/prisma.ts'] }],
      errors: [{ messageId: 'outsideSingleton', data: { singleton: 'src/lib/prisma.ts' } }],
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

describe('no-multiple-prisma-clients across files: the package index', () => {
  const scratch = scratchDirectory('deploy-safe-prisma-index-');
  const LIB = "import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n";
  const LEGACY = "const { PrismaClient } = require('@prisma/client');\n\nconst prisma = new PrismaClient();\n\nmodule.exports = prisma;\n";
  const write = (file: string, text: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  const lint = (file: string) => lintWithRule('no-multiple-prisma-clients', rule, readFileSync(file, 'utf8'), file).filter((message) => message.ruleId);

  it('two modules that each export their own client: the finding sits in the less conventional one and names the other', () => {
    const dir = join(scratch, 'two-clients');
    write(join(dir, 'package.json'), '{ "name": "svc" }\n');
    write(join(dir, 'lib/prisma.ts'), LIB);
    write(join(dir, 'config/prisma.js'), LEGACY);
    expect(lint(join(dir, 'config/prisma.js')).map(({ messageId, line, message }) => ({ messageId, line, message }))).toEqual([
      {
        messageId: 'otherSharedClient',
        line: 3,
        message: 'lib/prisma.ts also exports a PrismaClient: the app has two shared clients and two connection pools. Import the client from lib/prisma.ts and remove this one.',
      },
    ]);
    expect(lint(join(dir, 'lib/prisma.ts'))).toEqual([]);
  });

  it('the index is cached per package and notices a changed file (by mtime and size)', () => {
    const dir = join(scratch, 'changing');
    write(join(dir, 'package.json'), '{ "name": "svc" }\n');
    write(join(dir, 'lib/prisma.ts'), LIB);
    write(join(dir, 'config/prisma.js'), LEGACY);
    expect(lint(join(dir, 'config/prisma.js')).map((message) => message.messageId)).toEqual(['otherSharedClient']);
    // lib/prisma.ts now re-uses the legacy client: one shared client left.
    write(join(dir, 'lib/prisma.ts'), "import prisma from '../config/prisma';\n\nexport { prisma };\n");
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'lib/prisma.ts'), later, later);
    expect(lint(join(dir, 'config/prisma.js'))).toEqual([]);
    // ...and a new module exporting a client is found on the next run.
    write(join(dir, 'src/db.ts'), LIB);
    expect(lint(join(dir, 'config/prisma.js')).map((message) => message.message)).toEqual([expect.stringContaining('src/db.ts also exports')]);
  });

  it('a second datasource\'s module and test files are not a rival shared client', () => {
    const dir = join(scratch, 'datasource');
    write(join(dir, 'package.json'), '{ "name": "svc" }\n');
    write(join(dir, 'lib/prisma.ts'), LIB);
    write(join(dir, 'src/analytics.ts'), "import { PrismaClient } from '@prisma/client';\nexport const analytics = new PrismaClient({ datasourceUrl: process.env.ANALYTICS_DATABASE_URL });\n");
    write(join(dir, 'test/prisma.ts'), LIB);
    write(join(dir, 'src/db.ts'), LIB.replace('prisma =', 'db ='));
    expect(lint(join(dir, 'lib/prisma.ts'))).toEqual([]);
    expect(lint(join(dir, 'src/db.ts')).map((message) => message.messageId)).toEqual(['otherSharedClient']);
  });
});
