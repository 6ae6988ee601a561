import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirectory } from '../helpers/scratch';
import transform from '../../codemods/no-multiple-prisma-clients';
import { exportedClients } from '../../codemods/lib/prisma-singleton';
import { clientSettings } from '../../src/prisma/prisma-client';
import rule from '../../src/rules/no-multiple-prisma-clients';
import { assertParses, leftWithoutReason, lintWithRule, runCodemod } from '../helpers/run-codemod';

const scratch = scratchDirectory('deploy-safe-prisma-');

let projects = 0;
function project(files: Record<string, string>): string {
  const dir = join(scratch, `project-${++projects}`);
  for (const [file, content] of Object.entries({ 'package.json': '{ "name": "svc" }\n', ...files })) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

/** Runs the codemod on one file of a project, twice (idempotency), checking the rule and the parser agree. */
async function rewrite(dir: string, file: string, options: Record<string, unknown> = {}) {
  const path = join(dir, file);
  const run = await runCodemod(transform, readFileSync(path, 'utf8'), path, options);
  if (run.changed) {
    assertParses(run.output, path);
    writeFileSync(path, run.output);
    expect((await runCodemod(transform, run.output, path, options)).changed, 'idempotent').toBe(false);
    expect(lintWithRule('no-multiple-prisma-clients', rule, run.output, file).filter((message) => message.ruleId)).toEqual([]);
  }
  return run;
}

const DATABASE = `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });

export const prisma = new PrismaClient({
  adapter,
  log: process.env.NODE_ENV === 'development' ? ['query', 'error', 'warn'] : ['error'],
});

export default prisma;
`;

const SEED = `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../src/generated/prisma/client';

const prisma = new PrismaClient({
  adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});

async function main() {
  await prisma.user.count();
}

main()
  .finally(async () => {
    await prisma.$disconnect();
  });
`;

describe('no-multiple-prisma-clients codemod, on small projects', () => {
  it('seed 000: the seed script imports the exported client; its own end-of-run disconnect stays', async () => {
    const dir = project({ 'src/config/database.ts': DATABASE, 'prisma/seed.ts': SEED });
    const run = await rewrite(dir, 'prisma/seed.ts');
    expect(run.output).toBe(`import { prisma } from '../src/config/database';

async function main() {
  await prisma.user.count();
}

main()
  .finally(async () => {
    await prisma.$disconnect();
  });
`);
    expect(readFileSync(join(dir, 'src/config/database.ts'), 'utf8')).toBe(DATABASE);
  });

  it('a seed built from the app\'s adapter factory, not disconnected: left byte-identical, with the reason', async () => {
    const seed = `import { PrismaClient } from '../src/generated/prisma/client';
import { createAdapter } from '../src/config/adapter';

const prisma = new PrismaClient({ adapter: createAdapter() });

async function main() {
  await prisma.user.count();
}

void main();
`;
    const dir = project({ 'src/config/database.ts': DATABASE, 'prisma/seed.ts': seed });
    const run = await rewrite(dir, 'prisma/seed.ts');
    expect(run.output).toBe(seed);
    expect(run.reports).toEqual([expect.stringMatching(/^line 4: not rewritten: .*add `await prisma\.\$disconnect\(\)`/)]);
  });

  it('the singleton module itself is left byte-identical', async () => {
    const dir = project({ 'src/config/database.ts': DATABASE });
    expect((await rewrite(dir, 'src/config/database.ts')).changed).toBe(false);
  });

  it('a client per request: removed with its own $disconnect, keeping the local name, CommonJS style', async () => {
    const dir = project({
      'src/db.js': "const { PrismaClient } = require('@prisma/client');\nconst prisma = new PrismaClient();\nmodule.exports = { prisma };\n",
      'src/routes/users.js': `const express = require('express');
const { PrismaClient } = require('@prisma/client');

const router = express.Router();

router.get('/', async (req, res) => {
  const db = new PrismaClient();
  try {
    res.json(await db.user.findMany());
  } finally {
    await db.$disconnect();
  }
});

module.exports = router;
`,
    });
    const run = await rewrite(dir, 'src/routes/users.js');
    expect(run.output).toBe(`const express = require('express');
const { prisma: db } = require('../db');

const router = express.Router();

router.get('/', async (req, res) => {
  try {
    res.json(await db.user.findMany());
  } finally {
  }
});

module.exports = router;
`);
  });

  it('ESM with .js suffixes keeps the suffix; aliased class imports are recognised', async () => {
    const dir = project({
      'src/lib/prisma.ts': "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n",
      'src/jobs/cleanup.ts': "import { PrismaClient as Client } from '@prisma/client';\nimport { log } from '../log.js';\n\nconst client = new Client();\n\nexport async function cleanup() {\n  log(await client.session.deleteMany());\n}\n",
    });
    const run = await rewrite(dir, 'src/jobs/cleanup.ts');
    expect(run.output).toBe("import { log } from '../log.js';\nimport { prisma as client } from '../lib/prisma.js';\n\nexport async function cleanup() {\n  log(await client.session.deleteMany());\n}\n");
  });

  it('no singleton yet: creates one (globalThis-cached, with the replaced client\'s adapter) exactly once', async () => {
    const dir = project({ 'src/a.ts': SEED.replace('../src/generated', '../generated'), 'src/b.ts': SEED.replace('../src/generated', '../generated') });
    const first = await rewrite(dir, 'src/a.ts');
    expect(first.reports.join('\n')).toContain('created the shared client at src/lib/prisma.ts');
    const created = readFileSync(join(dir, 'src/lib/prisma.ts'), 'utf8');
    expect(created).toContain("import { PrismaPg } from '@prisma/adapter-pg';");
    expect(created).toContain("import { PrismaClient } from '../../generated/prisma/client';");
    expect(created).toContain('export const prisma = globalForPrisma.prisma ?? new PrismaClient({\n  adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }),\n});');
    expect(first.output).toContain("import { prisma } from './lib/prisma';");
    const second = await rewrite(dir, 'src/b.ts');
    expect(second.reports.join('\n')).not.toContain('created');
    expect(readFileSync(join(dir, 'src/lib/prisma.ts'), 'utf8')).toBe(created);
    expect(lintWithRule('no-multiple-prisma-clients', rule, created, 'src/lib/prisma.ts')).toEqual([]);
  });

  it('--dry: says where it would create the singleton and writes nothing', async () => {
    const dir = project({ 'src/a.ts': SEED });
    const run = await runCodemod(transform, SEED, join(dir, 'src/a.ts'), { dry: true, 'singleton-path': 'src/db/client.ts' });
    expect(run.reports.join('\n')).toContain('would create the shared client at src/db/client.ts (dry run)');
    expect(existsSync(join(dir, 'src/db/client.ts'))).toBe(false);
  });

  it('leaves a second datasource without a word (the rule allows it) and says why it leaves dynamic construction', async () => {
    const source = "import { PrismaClient } from '@prisma/client';\nconst analytics = new PrismaClient({ datasourceUrl: process.env.ANALYTICS_DATABASE_URL });\nconst clients = tenants.map(() => new PrismaClient());\n";
    const dir = project({ 'src/db.ts': "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n", 'src/x.ts': source });
    const run = await rewrite(dir, 'src/x.ts');
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual([expect.stringMatching(/^line 3: not rewritten: this PrismaClient is not a plain/)]);
  });

  it('skips files without PrismaClient before parsing them', async () => {
    const run = await runCodemod(transform, 'not javascript {', join(scratch, 'x.ts'));
    expect(run).toEqual({ output: 'not javascript {', changed: false, reports: [] });
  });
});

const HAPI_PLUGIN = `import { PrismaClient } from '@prisma/client'
import Hapi from '@hapi/hapi'

// plugin to instantiate Prisma Client
const prismaPlugin: Hapi.Plugin<null> = {
  name: 'prisma',
  register: async function (server: Hapi.Server) {
    const prisma = new PrismaClient()

    server.app.prisma = prisma

    server.ext({
      type: 'onPostStop',
      method: async (server: Hapi.Server) => {
        server.app.prisma.$disconnect()
      },
    })
  },
}

export default prismaPlugin
`;

const FASTIFY_PLUGIN = `import fp from 'fastify-plugin';
import { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { PrismaClient } from '@prisma/client';

const prismaPlugin: FastifyPluginAsync = fp(async function prismaPlugin(fastify: FastifyInstance) {
  const prisma = new PrismaClient();

  fastify.decorate('prisma', prisma);

  fastify.addHook('onClose', async (instance) => {
    await instance.prisma.$disconnect();
  });
});

export default prismaPlugin;
`;

const NEST_PRISMA_SERVICE = `import { Injectable, OnModuleInit } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit {
  async onModuleInit() {
    await this.$connect();
  }
}
`;

const PLAIN_SEED = `import { PrismaClient } from '@prisma/client';
import { faker } from '@faker-js/faker';

const prisma = new PrismaClient();

async function main() {
  await prisma.category.create({ data: { name: faker.word.noun() } });
}

main().finally(() => prisma.$disconnect());
`;

const ROUTE_WITH_CLIENT = `const express = require('express');
const { PrismaClient } = require('@prisma/client');

const router = express.Router();
const prisma = new PrismaClient();

router.get('/', async (req, res) => {
  res.json(await prisma.user.findMany());
});

module.exports = router;
`;

const SERVER_WITH_CLIENT = `const { PrismaClient } = require('@prisma/client');
const express = require('express');

const prisma = new PrismaClient();
const app = express();

app.get('/users', async (req, res) => {
  res.json(await prisma.user.findMany());
});

app.listen(process.env.PORT, '0.0.0.0');
`;

const serverRequiring = (line: string): string => SERVER_WITH_CLIENT.replace("const { PrismaClient } = require('@prisma/client');\nconst express = require('express');\n\nconst prisma = new PrismaClient();\n", `const express = require('express');\n${line}\n\n`);

describe('no-multiple-prisma-clients codemod: which module it imports the shared client from', () => {
  it('a Hapi plugin whose default export is the plugin object is not the client: the seed imports the real singleton', async () => {
    const dir = project({
      'src/plugins/prisma.ts': HAPI_PLUGIN,
      'src/utils/prisma.ts': "import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n",
      'prisma/seed.ts': PLAIN_SEED,
    });
    const run = await rewrite(dir, 'prisma/seed.ts');
    expect(run.output).toBe(PLAIN_SEED.replace("import { PrismaClient } from '@prisma/client';\nimport { faker } from '@faker-js/faker';\n\nconst prisma = new PrismaClient();\n", "import { faker } from '@faker-js/faker';\nimport { prisma } from '../src/utils/prisma';\n"));
    expect(existsSync(join(dir, 'src/lib/prisma.ts')), 'no second shared client').toBe(false);
  });

  it.each([
    ['a fastify-plugin (`export default fp(...)`, danielm)', 'src/plugins/prisma.plugin.ts', FASTIFY_PLUGIN],
    ['a Hapi plugin (`server.app.prisma`, 2color)', 'src/plugins/prisma.ts', HAPI_PLUGIN],
    ['a Nest PrismaService (notiz-dev)', 'src/prisma/prisma.service.ts', NEST_PRISMA_SERVICE],
  ])("the app's client held by %s, exported by no module: the seed is left, with the reason, and no module is created for it", async (_, plugin, text) => {
    const dir = project({ [plugin]: text, 'prisma/seed.ts': PLAIN_SEED });
    const run = await rewrite(dir, 'prisma/seed.ts');
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual([
      `line 4: not rewritten: the app's client is made in ${plugin}, where the framework holds it, and no module exports it for this script to import; export it from a module both can import (then run the codemod again), or keep this client with a small pool and \`$disconnect()\` when the script ends`,
    ]);
    expect(existsSync(join(dir, 'src/lib/prisma.ts'))).toBe(false);
  });

  it('the client provided by nestjs-prisma (PrismaModule), no PrismaService of its own: the seed is left, naming the package', async () => {
    const dir = project({ 'package.json': '{ "name": "api", "dependencies": { "@nestjs/core": "^11.0.0", "nestjs-prisma": "^0.25.0" } }\n', 'prisma/seed.ts': PLAIN_SEED });
    const run = await rewrite(dir, 'prisma/seed.ts');
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual([expect.stringMatching(/^line 4: not rewritten: the app's client is made in the nestjs-prisma package, where the framework holds it/)]);
    expect(existsSync(join(dir, 'src/lib/prisma.ts'))).toBe(false);
  });

  it("a module whose own client the rule reports (a private one in the server) is not the app's held client: the shared module is made, for both", async () => {
    const server = "import express from 'express';\nimport { PrismaClient } from '@prisma/client';\n\nconst prisma = new PrismaClient();\nconst app = express();\napp.get('/', async (_req, res) => res.json(await prisma.user.count()));\napp.listen(3000, '0.0.0.0');\n";
    const dir = project({ 'src/server.ts': server, 'prisma/seed.ts': PLAIN_SEED });
    const run = await rewrite(dir, 'prisma/seed.ts');
    expect(run.reports).toContain('created the shared client at src/lib/prisma.ts');
    expect(run.output).toBe(PLAIN_SEED.replace("import { PrismaClient } from '@prisma/client';\nimport { faker } from '@faker-js/faker';\n\nconst prisma = new PrismaClient();\n", "import { faker } from '@faker-js/faker';\nimport { prisma } from '../src/lib/prisma';\n"));
  });

  it('`export default UserRepository` is not the client: each repository module gets the one shared client', async () => {
    // Koa's own spacing: `{ PrismaClient,Post }` loses `PrismaClient,` and keeps `{ Post }`.
    const repository = (model: string, separator = ', ') => `import { PrismaClient${separator}${model} } from "@prisma/client";
const prisma = new PrismaClient();

class ${model}Repository {
  async findAll(): Promise<${model}[]> {
    return prisma.${model.toLowerCase()}.findMany();
  }
}

export default ${model}Repository;
`;
    const dir = project({ 'src/repository/user.repository.ts': repository('User'), 'src/repository/post.repository.ts': repository('Post', ',') });
    const user = await rewrite(dir, 'src/repository/user.repository.ts');
    expect(user.reports).toContain('created the shared client at src/lib/prisma.ts');
    expect(user.output).toBe(repository('User').replace('import { PrismaClient, User } from "@prisma/client";\nconst prisma = new PrismaClient();\n', 'import { User } from "@prisma/client";\nimport { prisma } from "../lib/prisma";\n'));
    const post = await rewrite(dir, 'src/repository/post.repository.ts');
    expect(post.output.split('\n').slice(0, 2)).toEqual(['import { Post } from "@prisma/client";', 'import { prisma } from "../lib/prisma";']);
  });

  it('`module.exports = { encrypt, prisma }`: binds `prisma`, not the first key', async () => {
    const dir = project({
      'src/utils.js': "const crypto = require('crypto');\nconst { PrismaClient } = require('@prisma/client');\n\nconst prisma = new PrismaClient();\n\nfunction encrypt(text) {\n  return crypto.createHash('sha256').update(text).digest('hex');\n}\n\nmodule.exports = { encrypt, prisma };\n",
      'src/server.js': SERVER_WITH_CLIENT,
    });
    expect((await rewrite(dir, 'src/server.js')).output).toBe(serverRequiring("const { prisma } = require('./utils');"));
  });

  it('`module.exports = { logger, db: prisma }`: binds the key whose value is the client', async () => {
    const dir = project({
      'src/db.js': "const { PrismaClient } = require('@prisma/client');\nconst logger = require('./logger');\n\nconst prisma = new PrismaClient();\n\nmodule.exports = { logger, db: prisma };\n",
      'src/server.js': SERVER_WITH_CLIENT,
    });
    expect((await rewrite(dir, 'src/server.js')).output).toBe(serverRequiring("const { db: prisma } = require('./db');"));
  });

  it('`exports.prisma = prisma` after other `exports.x =`: binds `prisma`', async () => {
    const dir = project({
      'src/db.js': "const { PrismaClient } = require('@prisma/client');\n\nconst prisma = new PrismaClient();\n\nexports.disconnect = () => prisma.$disconnect();\nexports.prisma = prisma;\n",
      'src/server.js': SERVER_WITH_CLIENT,
    });
    expect((await rewrite(dir, 'src/server.js')).output).toBe(serverRequiring("const { prisma } = require('./db');"));
  });

  it('a router module (`module.exports = router`) is not the singleton: its module-level client is replaced', async () => {
    const dir = project({
      'src/db.js': "const { PrismaClient } = require('@prisma/client');\n\nmodule.exports = { prisma: new PrismaClient() };\n",
      'src/routes/users.js': ROUTE_WITH_CLIENT,
    });
    expect((await rewrite(dir, 'src/routes/users.js')).output).toBe(ROUTE_WITH_CLIENT.replace("const { PrismaClient } = require('@prisma/client');", "const { prisma } = require('../db');").replace('const prisma = new PrismaClient();\n', ''));
  });

  it('re-export `export { client as prisma }`: found, and imported as `prisma`', async () => {
    const dir = project({
      'src/db.ts': "import { PrismaClient } from '@prisma/client';\n\nconst client = new PrismaClient();\n\nexport { client as prisma };\n",
      'src/jobs/cleanup.ts': "import { PrismaClient } from '@prisma/client';\nimport { log } from '../log';\n\nconst db = new PrismaClient();\n\nexport async function cleanup() {\n  log(await db.session.deleteMany());\n}\n",
    });
    const run = await rewrite(dir, 'src/jobs/cleanup.ts');
    expect(run.output).toBe("import { log } from '../log';\nimport { prisma as db } from '../db';\n\nexport async function cleanup() {\n  log(await db.session.deleteMany());\n}\n");
    expect(run.reports.join('\n')).not.toContain('created');
  });

  const SCRIPT = `require('dotenv').config();
const { PrismaClient } = require('@prisma/client');
const fs = require('fs');

const prisma = new PrismaClient();

async function applyMigration() {
  await prisma.$executeRawUnsafe(fs.readFileSync('migration.sql', 'utf-8'));
}

applyMigration().finally(() => prisma.$disconnect());
`;
  const TS_SINGLETON = "import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient({\n  log: ['error'],\n});\n";

  it('a plain JavaScript script and a TypeScript singleton (no allowJs): left as it was, with the reason', async () => {
    const dir = project({
      'tsconfig.json': '{\n  // compiled to dist/\n  "compilerOptions": { "module": "CommonJS", "outDir": "dist", },\n  "include": ["src/**/*"]\n}\n',
      'src/prisma.ts': TS_SINGLETON,
      'scripts/apply-migration.js': SCRIPT,
    });
    const run = await rewrite(dir, 'scripts/apply-migration.js');
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual([
      'line 5: not rewritten: the shared client (src/prisma.ts) is TypeScript and this JavaScript file cannot require it (no `allowJs` in tsconfig.json); require its compiled output or convert this file to TypeScript',
    ]);
  });

  it('a JavaScript script and a TypeScript singleton under `allowJs: true`: requires it', async () => {
    const dir = project({
      'tsconfig.json': '{ "compilerOptions": { "allowJs": true, "outDir": "dist" } }\n',
      'src/prisma.ts': TS_SINGLETON,
      'scripts/apply-migration.js': SCRIPT,
    });
    const run = await rewrite(dir, 'scripts/apply-migration.js');
    expect(run.output).toBe(SCRIPT.replace("const { PrismaClient } = require('@prisma/client');\nconst fs = require('fs');\n\nconst prisma = new PrismaClient();\n", "const fs = require('fs');\nconst { prisma } = require('../src/prisma');\n"));
  });

  it('`require` of an ES-module default export (`export default prisma`) takes `.default`', async () => {
    const dir = project({
      'tsconfig.json': '{ "compilerOptions": { "allowJs": true } }\n',
      'src/prisma/prisma-client.ts': "import { PrismaClient } from '@prisma/client';\n\ndeclare const global: { prisma?: PrismaClient };\n\nconst prisma = global.prisma || new PrismaClient();\n\nif (process.env.NODE_ENV === 'development') global.prisma = prisma;\n\nexport default prisma;\n",
      'src/server.js': SERVER_WITH_CLIENT,
    });
    expect((await rewrite(dir, 'src/server.js')).output).toBe(serverRequiring("const prisma = require('./prisma/prisma-client').default;"));
  });

  it('several modules export a client: the conventional location wins, and the report names it', async () => {
    const dir = project({
      'src/db.ts': "import { PrismaClient } from '@prisma/client';\nexport const db = new PrismaClient();\n",
      'src/lib/prisma.ts': "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n",
      'src/jobs/cleanup.ts': "import { PrismaClient } from '@prisma/client';\n\nconst prisma = new PrismaClient();\n\nexport const cleanup = () => prisma.session.deleteMany();\n",
    });
    const run = await rewrite(dir, 'src/jobs/cleanup.ts');
    expect(run.output).toBe("import { prisma } from '../lib/prisma';\n\nexport const cleanup = () => prisma.session.deleteMany();\n");
    expect(run.reports).toContain('several modules export a Prisma client (src/db.ts, src/lib/prisma.ts): imported the one in src/lib/prisma.ts');
  });
});

describe('no-multiple-prisma-clients codemod: what the rule says and the codemod does, held together', () => {
  it('a test file and another database\'s client: not touched, because the rule reports nothing there', async () => {
    const dir = project({ 'src/lib/prisma.ts': "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n" });
    const testFile = "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";
    mkdirSync(join(dir, 'src/__tests__'), { recursive: true });
    writeFileSync(join(dir, 'src/__tests__/users.ts'), testFile);
    expect(await runCodemod(transform, testFile, join(dir, 'src/__tests__/users.ts'))).toEqual({ output: testFile, changed: false, reports: [] });
    const warehouse = "import { PrismaClient } from '@prisma/client';\nconst warehouse = new PrismaClient({ datasourceUrl: process.env.WAREHOUSE_URL });\n";
    expect(await runCodemod(transform, warehouse, join(dir, 'src/warehouse.ts'))).toEqual({ output: warehouse, changed: false, reports: [] });
  });

  it('a Fastify plugin and a Nest factory provider: made once by the framework, left byte-identical', async () => {
    const dir = project({ 'src/plugins/prisma.ts': FASTIFY_PLUGIN });
    expect((await rewrite(dir, 'src/plugins/prisma.ts')).changed).toBe(false);
    expect((await rewrite(dir, 'src/plugins/prisma.ts')).reports).toEqual([]);
  });

  it('a second client in the module that makes the app\'s own (documenso packages/prisma): left with a reason, no module created', async () => {
    const source = [
      "import { PrismaClient } from '@prisma/client';",
      "import { remember } from './utils/remember';",
      '',
      "const prisma = remember('prisma', () => new PrismaClient({ datasourceUrl: process.env.DATABASE_URL }));",
      '',
      "export const prismaWithLogging = remember('prismaWithLogging', () => {",
      "  const client = new PrismaClient({ datasourceUrl: process.env.DATABASE_URL, log: [{ emit: 'event', level: 'query' }] });",
      "  client.$on('query', (e) => console.log('query:', e.query));",
      '  return client;',
      '});',
      '',
      "export const prismaWithReplicas = remember('prismaWithReplicas', () => prisma.$extends({}));",
      'export { prismaWithReplicas as prisma };',
      '',
    ].join('\n');
    const dir = project({ 'index.ts': source });
    const path = join(dir, 'index.ts');
    const run = await runCodemod(transform, source, path);
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual(['line 7: not rewritten: this module already creates another PrismaClient; make this one a variant of it (`$extends` for logging or read replicas, `$on` on the first client) instead of a second pool']);
    expect(existsSync(join(dir, 'src/lib/prisma.ts'))).toBe(false);
    expect(leftWithoutReason('no-multiple-prisma-clients', rule, source, run, path)).toEqual([]);
  });

  it('two modules export a client: the legacy one is left, with a reason that names the other module', async () => {
    const legacy = "const { PrismaClient } = require('@prisma/client');\n\nconst prisma = new PrismaClient();\n\nmodule.exports = prisma;\n";
    const dir = project({ 'lib/prisma.ts': "import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n", 'config/prisma.js': legacy });
    const path = join(dir, 'config/prisma.js');
    const run = await runCodemod(transform, legacy, path);
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual(['line 3: not rewritten: lib/prisma.ts also exports a PrismaClient: the app has two shared clients and two connection pools. Point this module\'s importers at the other module, then delete this one']);
    expect(leftWithoutReason('no-multiple-prisma-clients', rule, legacy, run, path)).toEqual([]);
  });
});

describe('exportedClients: what a module exports as its Prisma client (the rule\'s analysis, as the codemod runs it)', () => {
  const esm = "import { PrismaClient } from '@prisma/client';\n";
  const cjs = "const { PrismaClient } = require('@prisma/client');\n";
  const cases: [shape: string, source: string, expected: { exportName: string; syntax: string }[]][] = [
    ['export const prisma = new PrismaClient()', `${esm}export const prisma = new PrismaClient();`, [{ exportName: 'prisma', syntax: 'esm' }]],
    ['globalThis.prisma ?? new PrismaClient()', `${esm}export const prisma = globalThis.prisma ?? new PrismaClient();`, [{ exportName: 'prisma', syntax: 'esm' }]],
    ['globalForPrisma.prisma || new PrismaClient(...)', `${esm}const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };\nexport const prisma = globalForPrisma.prisma || new PrismaClient({ log: ['error'] });\nif (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;`, [{ exportName: 'prisma', syntax: 'esm' }]],
    ['a factory returning a client', `${esm}const prismaClientSingleton = () => {\n  return new PrismaClient();\n};\nexport const prisma = globalThis.prismaGlobal ?? prismaClientSingleton();`, [{ exportName: 'prisma', syntax: 'esm' }]],
    ['a factory declaration returning a variable', `${esm}function createClient() {\n  const client = new PrismaClient();\n  return client;\n}\nexport const db = createClient();`, [{ exportName: 'db', syntax: 'esm' }]],
    ['new PrismaClient().$extends(...), Prisma 7 generated client', "import { PrismaClient } from '../generated/prisma/client';\nexport const prisma = new PrismaClient({ adapter }).$extends(withAccelerate());", [{ exportName: 'prisma', syntax: 'esm' }]],
    ['export { prisma }', `${esm}const prisma = new PrismaClient();\nexport { prisma };`, [{ exportName: 'prisma', syntax: 'esm' }]],
    ['export { client as prisma }', `${esm}const client = new PrismaClient();\nexport { client as prisma };`, [{ exportName: 'prisma', syntax: 'esm' }]],
    ['export default prisma, and export const prisma', `${esm}export const prisma = new PrismaClient();\nexport default prisma;`, [{ exportName: 'prisma', syntax: 'esm' }, { exportName: 'default', syntax: 'esm' }]],
    ['export default new PrismaClient()', `${esm}export default new PrismaClient();`, [{ exportName: 'default', syntax: 'esm' }]],
    ['module.exports = prisma', `${cjs}const prisma = new PrismaClient();\nmodule.exports = prisma;`, [{ exportName: 'default', syntax: 'commonjs' }]],
    ['module.exports = { encrypt, prisma }', `${cjs}const prisma = new PrismaClient();\nmodule.exports = { encrypt, prisma };`, [{ exportName: 'prisma', syntax: 'commonjs' }]],
    ['module.exports = { db: prisma }', `${cjs}const prisma = new PrismaClient();\nmodule.exports = { logger, db: prisma };`, [{ exportName: 'db', syntax: 'commonjs' }]],
    ['exports.prisma = prisma', `${cjs}const prisma = new PrismaClient();\nexports.disconnect = () => prisma.$disconnect();\nexports.prisma = prisma;`, [{ exportName: 'prisma', syntax: 'commonjs' }]],
    ['module.exports.prisma = new PrismaClient()', `${cjs}module.exports.prisma = new PrismaClient();`, [{ exportName: 'prisma', syntax: 'commonjs' }]],
    // Not the client, though the module creates one.
    ['a Hapi plugin object', `${esm}const prismaPlugin = {\n  name: 'prisma',\n  register: async (server) => { server.app.prisma = new PrismaClient(); },\n};\nexport default prismaPlugin;`, []],
    ['export default fp(...)', `${esm}import fp from 'fastify-plugin';\nexport default fp(async (fastify) => { fastify.decorate('prisma', new PrismaClient()); });`, []],
    ['export default UserRepository (a class)', `${esm}const prisma = new PrismaClient();\nclass UserRepository { findAll() { return prisma.user.findMany(); } }\nexport default UserRepository;`, []],
    ['a repository instance', `${esm}const prisma = new PrismaClient();\nclass UserRepository { constructor(db) { this.db = db; } }\nexport default new UserRepository(prisma);`, []],
    ['module.exports = router', `${cjs}const router = require('express').Router();\nconst prisma = new PrismaClient();\nmodule.exports = router;`, []],
    ['a class extending PrismaClient (NestJS PrismaService)', `${esm}export class PrismaService extends PrismaClient {}`, []],
    ['a factory exported uncalled', `${esm}export const createClient = () => new PrismaClient();`, []],
    ['another class named PrismaClient', "import { PrismaClient } from './fake-client';\nexport const prisma = new PrismaClient();", []],
    ['a second datasource', `${esm}export const analytics = new PrismaClient({ datasourceUrl: process.env.ANALYTICS_DATABASE_URL });`, []],
  ];
  for (const [shape, source, expected] of cases) {
    it(shape, () => {
      const found = exportedClients(join(scratch, /require\(/.test(source) ? 'module.js' : 'module.ts'), source);
      expect(found.map(({ exportName, syntax }) => ({ exportName, syntax }))).toEqual(expected);
    });
  }
});

describe('a replaced client keeps its behaviour: settings other than the connection must be the shared client\'s', () => {
  const SHARED = "import { PrismaClient } from '@prisma/client';\nimport { PrismaPg } from '@prisma/adapter-pg';\n\nexport const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });\n";

  it('settings are compared without the connection, comments or layout', () => {
    expect(clientSettings("{\n  // log: ['query'],\n  adapter,\n}")).toBe('');
    expect(clientSettings("{ adapter, log: ['query', 'error'], errorFormat: 'minimal' }")).toBe("errorFormat:'minimal',log:['query','error']");
    expect(clientSettings('options')).toBe('options');
  });

  it("a client with its own log settings is left, with the reason; one with only another way to the same connection is replaced", async () => {
    const logging = "import { PrismaClient } from '@prisma/client';\n\nconst prisma = new PrismaClient({ log: ['query'] });\n\nexport async function users() {\n  return prisma.user.findMany();\n}\n";
    const dir = project({ 'src/lib/prisma.ts': SHARED, 'src/jobs/report.ts': logging });
    const left = await rewrite(dir, 'src/jobs/report.ts');
    expect(left.changed).toBe(false);
    expect(left.reports).toEqual([
      "line 3: not rewritten: this client has settings of its own (`log:['query']`) that the shared client in src/lib/prisma.ts does not have; importing the shared one would drop them: move them to the shared client (or keep this client on purpose), then import it",
    ]);
    const plain = "import { PrismaClient } from '@prisma/client';\nimport { PrismaPg } from '@prisma/adapter-pg';\n\nconst adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });\nconst prisma = new PrismaClient({ adapter });\n\nexport const count = () => prisma.user.count();\n";
    writeFileSync(join(dir, 'src/jobs/count.ts'), plain);
    expect((await rewrite(dir, 'src/jobs/count.ts')).output).toContain("import { prisma } from '../lib/prisma';");
  });
});
