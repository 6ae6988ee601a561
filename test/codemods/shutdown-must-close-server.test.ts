import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import transform from '../../codemods/shutdown-must-close-server';
import rule from '../../src/rules/shutdown-must-close-server';
import { defineFixtureTests, leftWithoutReason, lintWithRule, runCodemod } from '../helpers/run-codemod';
import { scratchDirectory } from '../helpers/scratch';

defineFixtureTests('shutdown-must-close-server', transform, { name: 'shutdown-must-close-server', module: rule });

describe('shutdown-must-close-server codemod options', () => {
  const server = "import express from 'express';\nconst app = express();\nconst server = app.listen(3000);\nprocess.on('SIGTERM', () => {\n  process.exit(0);\n});\n";

  it('takes the hard deadline from --timeout-ms', async () => {
    const run = await runCodemod(transform, server, 'src/server.ts', { 'timeout-ms': 4000 });
    expect(run.output).toContain('const deadlineMs = 4000;');
  });

  it('reports an invalid deadline and leaves the file alone', async () => {
    const run = await runCodemod(transform, server, 'src/server.ts', { 'timeout-ms': 'soon' });
    expect(run.changed).toBe(false);
    expect(run.reports.join('\n')).toContain('--timeout-ms must be a positive whole number');
  });
});

describe('shutdown-must-close-server codemod on a module that starts no server', () => {
  const prismaModule = `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient();
process.on('SIGTERM', async () => {
  await prisma.$disconnect();
  process.exit(0);
});
`;

  function servicePackage(files: Record<string, string>): string {
    const directory = scratchDirectory('deploy-safe-shutdown-codemod-');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(directory, name)), { recursive: true });
      writeFileSync(join(directory, name), text);
    }
    return directory;
  }

  const logger = "export const logger = { info: (message: string) => console.log(message) };\n";
  const prismaWithLog = `import { PrismaClient } from '@prisma/client';
import { logger } from '../logger';

export const prisma = new PrismaClient();

// Close the pool when the platform stops us.
process.on('SIGINT', async () => {
  logger.info('SIGINT received');
  await prisma.$disconnect();
  process.exit(0);
});

process.on('SIGTERM', async () => {
  logger.info('SIGTERM received');
  await prisma.$disconnect();
  process.exit(0);
});
`;
  const expressServer = `import express from 'express';
import { logger } from './logger';

const app = express();

app.listen(Number(process.env.PORT), () => {
  logger.info('listening');
});
`;
  const manifest = JSON.stringify({ scripts: { start: 'node dist/server.js' }, dependencies: { express: '^5.0.0' } });

  it('moves the shutdown into the module that starts the server: closes it there, then the Prisma module\'s cleanup, and the Prisma module stops exiting', async () => {
    const directory = servicePackage({ 'package.json': manifest, 'src/logger.ts': logger, 'src/server.ts': expressServer });
    const db = join(directory, 'src', 'lib', 'prisma.ts');
    const run = await runCodemod(transform, prismaWithLog, db);
    expect(run.reports).toEqual([
      "moved this module's SIGTERM/SIGINT shutdown to `src/server.ts`, where the server is started: it closes the server there, then runs this cleanup, and this module no longer exits the process",
    ]);
    // The handlers, their comment and the import only they used are gone; the client stays.
    expect(run.output).toBe("import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n");
    const server = readFileSync(join(directory, 'src', 'server.ts'), 'utf8');
    expect(server.startsWith(`import express from 'express';
import { logger } from './logger';
import { prisma } from './lib/prisma';

const app = express();

const server = app.listen(Number(process.env.PORT), () => {
  logger.info('listening');
});

let shuttingDown = false;
`)).toBe(true);
    // In order: the log line (naming the signal received) at once, the drain, then the comment and the disconnect.
    expect(server).toContain(`  try {
    logger.info(\`\${signal} received\`);
    // Stop accepting connections and let in-flight requests finish; keep-alive sockets are closed as
    // soon as they turn idle, so the drain does not wait for keepAliveTimeout.
    const closeIdleConnections = setInterval(() => server.closeIdleConnections(), 100);
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    clearInterval(closeIdleConnections);
    // Close the pool when the platform stops us.
    await prisma.$disconnect();
    process.exit(0);
`);
    expect(server.endsWith("process.on('SIGTERM', () => void shutdown('SIGTERM'));\nprocess.on('SIGINT', () => void shutdown('SIGINT'));\n")).toBe(true);
    // The rule reports nothing in either file now, and a second run changes neither.
    expect(lintWithRule('shutdown-must-close-server', rule, run.output, db)).toEqual([]);
    expect(lintWithRule('shutdown-must-close-server', rule, server, join(directory, 'src', 'server.ts'))).toEqual([]);
    expect((await runCodemod(transform, run.output, db)).changed).toBe(false);
    expect((await runCodemod(transform, server, join(directory, 'src', 'server.ts'))).changed).toBe(false);
  });

  it('uses the server module\'s own import of the client instead of adding one', async () => {
    const importing = expressServer.replace("import { logger } from './logger';\n", "import { logger } from './logger';\nimport { prisma } from './lib/prisma';\n");
    const directory = servicePackage({ 'package.json': manifest, 'src/logger.ts': logger, 'src/server.ts': importing });
    await runCodemod(transform, prismaWithLog, join(directory, 'src', 'lib', 'prisma.ts'));
    const server = readFileSync(join(directory, 'src', 'server.ts'), 'utf8');
    expect(server.match(/import \{ prisma \}/g)).toHaveLength(1);
    expect(server).toContain('await prisma.$disconnect();');
  });

  it('in a dry run, says where it would move the shutdown and writes nothing', async () => {
    const directory = servicePackage({ 'package.json': manifest, 'src/logger.ts': logger, 'src/server.ts': expressServer });
    const run = await runCodemod(transform, prismaWithLog, join(directory, 'src', 'lib', 'prisma.ts'), { dry: true });
    expect(run.reports).toEqual([
      "would move this module's SIGTERM/SIGINT shutdown to `src/server.ts`, where the server is started (dry run): it closes the server there, then runs this cleanup",
    ]);
    expect(readFileSync(join(directory, 'src', 'server.ts'), 'utf8')).toBe(expressServer);
  });

  it('leaves both files when two modules may start the server, naming them', async () => {
    const directory = servicePackage({ 'package.json': manifest, 'src/logger.ts': logger, 'src/server.ts': expressServer, 'src/admin.ts': expressServer });
    const run = await runCodemod(transform, prismaWithLog, join(directory, 'src', 'lib', 'prisma.ts'));
    expect(run.changed).toBe(false);
    expect(run.reports[0]).toBe(
      'line 7: not rewritten: this module starts no server, and several modules of the package may start one (`src/admin.ts`, `src/server.ts`): move this shutdown to the one that starts the HTTP server, close the server there before disconnecting, and stop exiting the process here',
    );
    // The SIGTERM handler's finding points to that note.
    expect(run.reports.slice(1)).toEqual([expect.stringMatching(/^line 13: not rewritten \(left because of the note for line 7\): This SIGTERM handler/)]);
    expect(readFileSync(join(directory, 'src', 'server.ts'), 'utf8')).toBe(expressServer);
  });

  it('leaves both files when another module handles the signals too', async () => {
    const directory = servicePackage({
      'package.json': manifest,
      'src/logger.ts': logger,
      'src/server.ts': expressServer,
      'src/redis.ts': "export const redis = { quit: async () => {} };\nprocess.on('SIGTERM', () => void redis.quit());\n",
    });
    const run = await runCodemod(transform, prismaWithLog, join(directory, 'src', 'lib', 'prisma.ts'));
    expect(run.changed).toBe(false);
    expect(run.reports[0]).toBe(
      'line 7: not rewritten: this module starts no server and `src/redis.ts` also handles SIGTERM/SIGINT: merge the shutdowns into one in `src/server.ts`, where the server is started (close the server, then disconnect), and stop exiting the process here',
    );
    // The SIGTERM handler's finding points to that note.
    expect(run.reports.slice(1)).toEqual([expect.stringMatching(/^line 13: not rewritten \(left because of the note for line 7\): This SIGTERM handler/)]);
  });

  it('leaves both files when the cleanup uses a name the server module cannot import', async () => {
    const directory = servicePackage({ 'package.json': manifest, 'src/logger.ts': logger, 'src/server.ts': expressServer });
    const local = prismaModule.replace('export const prisma', 'const prisma');
    const run = await runCodemod(transform, local, join(directory, 'src', 'db.ts'));
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual([
      'line 3: not rewritten: the shutdown uses `prisma`, which this module does not export: export it, then run the codemod again (it moves the shutdown to `src/server.ts`, where the server is started)',
    ]);
  });

  it('says so when the module that starts the server cannot be found', async () => {
    const directory = servicePackage({ 'package.json': JSON.stringify({ dependencies: { fastify: '^5.0.0' } }) });
    const run = await runCodemod(transform, prismaModule, join(directory, 'src', 'db.ts'));
    expect(run.reports).toEqual([
      'line 3: not rewritten: this module starts no server, but the package runs one (fastify in package.json): move this shutdown to the module that calls `listen()` (not found from package.json `main`/`start`), close the server there before disconnecting, and stop exiting the process here',
    ]);
  });
});

describe('shutdown-must-close-server codemod on a server started by an imported function', () => {
  it('says what to change: the function must return the server, kept and closed here', async () => {
    const source = `import { listen } from './server';
import { prisma } from './db';
listen(Number(process.env.PORT), () => console.log('up'));
const shutdown = async () => { await prisma.$disconnect(); process.exit(0); };
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
`;
    const run = await runCodemod(transform, source, 'src/index.ts');
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual([
      'line 5: not rewritten: the server is started by `listen()` from `./server`, which returns nothing this codemod can close: make `listen()` return the server, keep it here (`const server = listen(…)`) and close it in this handler, waiting for the close, before disconnecting and exiting',
    ]);
  });
});

describe('shutdown-must-close-server codemod on a supervisor of child processes', () => {
  // hoppscotch's prod_run.mjs, reduced: the container's CMD, running the backend and Caddy as children.
  const supervisor = `import { spawn } from 'child_process';
const caddyProcess = spawn('caddy', ['run']);
const backendProcess = spawn('node', ['dist/main.js']);
backendProcess.on('exit', (code) => process.exit(code));
process.on('SIGINT', () => {
  caddyProcess.kill('SIGINT');
  backendProcess.kill('SIGINT');
  process.exit(0);
});
`;

  it('leaves it as it is and says what to change: there is no server here for the routine to close', async () => {
    const directory = scratchDirectory('deploy-safe-shutdown-codemod-');
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ dependencies: { express: '^5.0.0' } }));
    const path = join(directory, 'prod_run.mjs');
    const run = await runCodemod(transform, supervisor, path);
    expect(run.changed).toBe(false);
    expect(run.reports[0]).toBe(
      "line 5: not rewritten: this module runs its servers as child processes and passes the signal on to them, and each child closes its own server: pass both SIGTERM and SIGINT on, and exit only once the children have exited (`child.on('exit', …)`), with their exit code",
    );
    expect(leftWithoutReason('shutdown-must-close-server', rule, supervisor, run, path)).toEqual([]);
  });
});
