import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirectory } from '../helpers/scratch';
import transform from '../../codemods/no-multiple-prisma-clients';
import rule from '../../src/rules/no-multiple-prisma-clients';
import { assertParses, lintWithRule, runCodemod } from '../helpers/run-codemod';

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
