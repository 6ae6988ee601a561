import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/pg-pool-requires-timeout';

const ruleTester = new RuleTester();

const adapterImport = "import { PrismaPg } from '@prisma/adapter-pg';\n";
const poolImport = "import { Pool } from 'pg';\n";

ruleTester.run('pg-pool-requires-timeout', rule, {
  valid: [
    // rallly's seed and inbox-zero's one-off scripts: their own process, queries one after another, no request waiting.
    { code: `${adapterImport}const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });`, filename: 'packages/database/prisma/seed.ts' },
    { code: `${adapterImport}const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });`, filename: 'apps/web/scripts/addUsersToResend.ts' },
    { code: `${poolImport}const pool = new Pool({ connectionString: process.env.DATABASE_URL });`, filename: 'src/db.test.ts' },
    // A bounded wait for a connection.
    `${adapterImport}const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 });`,
    `${poolImport}const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5, connectionTimeoutMillis: 10_000 });`,
    `${poolImport}const pool = new Pool({ connectionTimeoutMillis: Number(process.env.PG_TIMEOUT_MS) });`,
    // Options built elsewhere: another module's config, a function's result, a spread that may carry the timeout.
    `${adapterImport}import { poolConfig } from './config';\nconst adapter = new PrismaPg(poolConfig);`,
    `${poolImport}const pool = new Pool(buildPoolConfig());`,
    `${poolImport}const pool = new Pool({ ...baseConfig, max: 5 });`,
    // A const read twice (spread into another config too): built for more than this pool.
    `${poolImport}const options = { connectionString: process.env.DATABASE_URL };\nconst pool = new Pool(options);\nexport const replicaOptions = { ...options, host: 'replica' };`,
    // PrismaPg given a pool: the pool's own options decide (and are checked where the pool is built).
    `${adapterImport}import { pool } from './db';\nconst adapter = new PrismaPg(pool);`,
    `${adapterImport}const adapter = new PrismaPg(connectionStringOrPool);`,
    // Not node-postgres: a worker pool, a local class, a Pool from another package.
    "import { Pool } from 'undici';\nconst pool = new Pool('http://localhost:3000');",
    'class Pool {}\nconst pool = new Pool({ size: 4 });',
    "import Piscina from 'piscina';\nconst pool = new Piscina({ filename: 'worker.js' });",
    "import { Pool } from '@neondatabase/serverless';\nconst pool = new Pool({ connectionString: process.env.DATABASE_URL });",
    // A file that cannot match.
    'const value = 1;',
  ],
  invalid: [
    {
      name: 'ignoreFiles: [] checks scripts too',
      code: `${adapterImport}const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });`,
      filename: 'packages/database/prisma/seed.ts',
      options: [{ ignoreFiles: [] }],
      output: `${adapterImport}const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 10000 });`,
      errors: [{ messageId: 'prismaPgWithoutTimeout', line: 2, suggestions: [{ messageId: 'setMax', output: `${adapterImport}const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 10000 });` }] }],
    },
    {
      name: 'PrismaPg with only a connection string: the Prisma 7 default',
      code: `${adapterImport}const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });`,
      output: `${adapterImport}const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 10000 });`,
      errors: [
        {
          messageId: 'prismaPgWithoutTimeout',
          line: 2,
          column: 21,
          data: { timeout: '10000', max: '10' },
          suggestions: [
            {
              messageId: 'setMax',
              data: { timeout: '10000', max: '10' },
              output: `${adapterImport}const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 10000 });`,
            },
          ],
        },
      ],
    },
    {
      name: 'PrismaPg given a connection string: wrapped in options',
      code: `${adapterImport}const adapter = new PrismaPg(process.env.DATABASE_URL!);`,
      output: `${adapterImport}const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL!, connectionTimeoutMillis: 10000 });`,
      errors: [{ messageId: 'connectionStringWithoutTimeout', line: 2, data: { timeout: '10000', max: '10' } }],
    },
    {
      name: 'PrismaPg inline in the client, one property per line, trailing comma kept',
      code: `${adapterImport}import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient({\n  adapter: new PrismaPg({\n    connectionString: process.env.DATABASE_URL,\n    max: 5, // per instance\n  }),\n});`,
      output: `${adapterImport}import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient({\n  adapter: new PrismaPg({\n    connectionString: process.env.DATABASE_URL,\n    max: 5, // per instance\n    connectionTimeoutMillis: 10000,\n  }),\n});`,
      errors: [{ messageId: 'prismaPgWithoutTimeout', line: 4, data: { timeout: '10000', max: '5' }, suggestions: [] }],
    },
    {
      name: 'pg Pool, named import, with the timeout option',
      code: `${poolImport}export const pool = new Pool({ connectionString: process.env.DATABASE_URL });`,
      output: `${poolImport}export const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 3000 });`,
      options: [{ connectionTimeoutMillis: 3000 }],
      errors: [
        {
          messageId: 'poolWithoutTimeout',
          data: { timeout: '3000', max: '10' },
          suggestions: [
            {
              messageId: 'setMax',
              data: { timeout: '3000', max: '10' },
              output: `${poolImport}export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 3000 });`,
            },
          ],
        },
      ],
    },
    {
      name: 'pg default import: new pg.Pool',
      code: "import pg from 'pg';\nconst pool = new pg.Pool({ connectionString });",
      output: "import pg from 'pg';\nconst pool = new pg.Pool({ connectionString, connectionTimeoutMillis: 10000 });",
      errors: [{ messageId: 'poolWithoutTimeout', column: 18, suggestions: [{ messageId: 'setMax', output: "import pg from 'pg';\nconst pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 10000 });" }] }],
    },
    {
      name: 'CommonJS: destructured require, aliased',
      code: "const { Pool: PgPool } = require('pg');\nconst pool = new PgPool({ host, database });",
      output: "const { Pool: PgPool } = require('pg');\nconst pool = new PgPool({ host, database, connectionTimeoutMillis: 10000 });",
      errors: [{ messageId: 'poolWithoutTimeout', suggestions: [{ messageId: 'setMax', output: "const { Pool: PgPool } = require('pg');\nconst pool = new PgPool({ host, database, max: 10, connectionTimeoutMillis: 10000 });" }] }],
    },
    {
      name: 'CommonJS: require(pg).Pool and the pg namespace',
      code: "const pg = require('pg');\nconst Pool = require('pg').Pool;\nconst a = new pg.Pool({ max: 4 });\nconst b = new Pool({ max: 4 });",
      output:
        "const pg = require('pg');\nconst Pool = require('pg').Pool;\nconst a = new pg.Pool({ max: 4, connectionTimeoutMillis: 10000 });\nconst b = new Pool({ max: 4, connectionTimeoutMillis: 10000 });",
      errors: [
        { messageId: 'poolWithoutTimeout', line: 3, data: { timeout: '10000', max: '4' } },
        { messageId: 'poolWithoutTimeout', line: 4, data: { timeout: '10000', max: '4' } },
      ],
    },
    {
      name: 'pg-pool, the class pg re-exports',
      code: "import Pool from 'pg-pool';\nconst pool = new Pool({ database: 'app' });",
      output: "import Pool from 'pg-pool';\nconst pool = new Pool({ database: 'app', connectionTimeoutMillis: 10000 });",
      errors: [{ messageId: 'poolWithoutTimeout', suggestions: [{ messageId: 'setMax', output: "import Pool from 'pg-pool';\nconst pool = new Pool({ database: 'app', max: 10, connectionTimeoutMillis: 10000 });" }] }],
    },
    {
      name: 'options in a const of this file, read only here: the fix goes into the object',
      code: `${poolImport}const options = {\n  connectionString: process.env.DATABASE_URL,\n};\nexport const pool = new Pool(options);`,
      output: `${poolImport}const options = {\n  connectionString: process.env.DATABASE_URL,\n  connectionTimeoutMillis: 10000,\n};\nexport const pool = new Pool(options);`,
      errors: [
        {
          messageId: 'poolWithoutTimeout',
          line: 5,
          suggestions: [{ messageId: 'setMax', output: `${poolImport}const options = {\n  connectionString: process.env.DATABASE_URL,\n  max: 10, connectionTimeoutMillis: 10000,\n};\nexport const pool = new Pool(options);` }],
        },
      ],
    },
    {
      name: 'new Pool() with no options: PG* variables and no timeout',
      code: `${poolImport}const pool = new Pool();`,
      output: `${poolImport}const pool = new Pool({ connectionTimeoutMillis: 10000 });`,
      errors: [{ messageId: 'poolWithoutTimeout' }],
    },
    {
      name: 'an empty options object',
      code: `${poolImport}const pool = new Pool({});`,
      output: `${poolImport}const pool = new Pool({ connectionTimeoutMillis: 10000 });`,
      errors: [{ messageId: 'poolWithoutTimeout', suggestions: [{ messageId: 'setMax', output: `${poolImport}const pool = new Pool({ max: 10, connectionTimeoutMillis: 10000 });` }] }],
    },
    {
      name: 'options with a type assertion',
      code: `${poolImport}import type { PoolConfig } from 'pg';\nconst pool = new Pool({ connectionString: url } as PoolConfig);`,
      output: `${poolImport}import type { PoolConfig } from 'pg';\nconst pool = new Pool({ connectionString: url, connectionTimeoutMillis: 10000 } as PoolConfig);`,
      errors: [{ messageId: 'poolWithoutTimeout', suggestions: [{ messageId: 'setMax', output: `${poolImport}import type { PoolConfig } from 'pg';\nconst pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10000 } as PoolConfig);` }] }],
    },
    {
      name: 'connectionTimeoutMillis: 0 is no timeout: a suggestion, since it was written on purpose',
      code: `${adapterImport}const adapter = new PrismaPg({ connectionString, connectionTimeoutMillis: 0 });`,
      output: null,
      errors: [
        {
          messageId: 'zeroTimeout',
          column: 50,
          suggestions: [{ messageId: 'setTimeout', output: `${adapterImport}const adapter = new PrismaPg({ connectionString, connectionTimeoutMillis: 10000 });` }],
        },
      ],
    },
  ],
});
