import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/shutdown-must-close-server';
import { scratchDirectory } from '../helpers/scratch';

/** What the fix writes after a Nest bootstrap's `listen()` (src/shutdown/routine.ts), as a user reads it. */
const NEST_ROUTINE = `
  let shuttingDown = false;

  async function shutdown(signal: string): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    // Exit on our own if something hangs, before the platform's SIGKILL: Fly sends SIGINT and kills 5 s
    // later, Docker sends SIGTERM and kills 10 s later (Kubernetes, Heroku, Render: 30 s).
    const deadlineMs = signal === 'SIGINT' ? 4000 : 8000;
    setTimeout(() => {
      console.error(\`\${signal}: shutdown took longer than \${deadlineMs} ms, exiting\`);
      process.exit(1);
    }, deadlineMs).unref();
    try {
      // Stop accepting connections and let in-flight requests finish (idle keep-alive sockets are closed
      // as they turn idle); only then run Nest's shutdown hooks (onModuleDestroy, onApplicationShutdown),
      // which app.close() would otherwise run while requests are still being served.
      const httpServer = app.getHttpServer();
      const closeIdleConnections = setInterval(() => httpServer.closeIdleConnections(), 100);
      await new Promise<void>((resolve, reject) => httpServer.close((error?: Error) => (error ? reject(error) : resolve())));
      clearInterval(closeIdleConnections);
      await app.close();
      process.exit(0);
    } catch (error) {
      console.error(\`\${signal}: shutdown failed\`, error);
      process.exit(1);
    }
  }

  // Docker, Kubernetes, Railway, Render and Heroku send SIGTERM; Fly sends SIGINT.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
`;

const ruleTester = new RuleTester();

/** A package on disk with these dependencies; returns the path of a source file in it. */
function packageWith(dependencies: Record<string, string>, file = 'src/lib/prisma.ts'): string {
  const directory = scratchDirectory('deploy-safe-shutdown-rule-');
  mkdirSync(join(directory, 'src', 'lib'), { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'service', dependencies }));
  return join(directory, file);
}
const expressPackage = packageWith({ express: '^5.0.0', '@prisma/client': '^7.0.0' });
const fastifyPackage = packageWith({ fastify: '^5.0.0' }, 'src/index.ts');
const toolPackage = packageWith({ commander: '^12.0.0', '@prisma/client': '^7.0.0' });
const expressSeedScript = packageWith({ express: '^5.0.0' }, 'prisma/seed.ts');
const expressDevScript = packageWith({ express: '^5.0.0' }, 'scripts/dev-setup.ts');
const expressSupervisor = packageWith({ express: '^5.0.0', '@nestjs/core': '^11.0.0' }, 'prod_run.mjs');
const expressDevRunner = packageWith({ express: '^5.0.0' }, 'src/dev-runner.ts');

// inbox-zero's scripts/dev-setup.ts, reduced: a dev runner whose handler stops the child processes it
// spawned, and a free-port probe that closes in its own listen callback. It runs no HTTP server itself.
const devRunner = `import { spawn } from 'node:child_process';
import net from 'node:net';

function checkPortBinding(port: number, host: string) {
  return new Promise<'free' | 'in-use'>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve('in-use'));
    server.listen(port, host, () => {
      server.close(() => resolve('free'));
    });
  });
}

async function runDev() {
  const childProcesses: Array<ReturnType<typeof spawn>> = [];
  const cleanupChildren = () => {
    for (const child of childProcesses) {
      if (child.killed) continue;
      child.kill('SIGTERM');
    }
  };
  process.on('SIGINT', cleanupChildren);
  process.on('SIGTERM', cleanupChildren);
  process.on('exit', cleanupChildren);
  await checkPortBinding(3000, '127.0.0.1');
  childProcesses.push(spawn('pnpm', ['dev'], { stdio: 'inherit' }));
}`;

// hoppscotch's packages/hoppscotch-backend/prod_run.mjs, reduced: the container's CMD, running the Nest
// backend and Caddy as child processes.
const hoppscotchSupervisor = `import { spawn } from 'child_process';
import process from 'process';

const caddyProcess = spawn('caddy', ['run', '--config', '/etc/caddy/backend.Caddyfile']);
const backendProcess = spawn('node', ['/dist/backend/dist/src/main.js']);
caddyProcess.on('exit', (code) => process.exit(code));
backendProcess.on('exit', (code) => process.exit(code));

process.on('SIGINT', () => {
  console.log('SIGINT received, exiting...');
  caddyProcess.kill('SIGINT');
  backendProcess.kill('SIGINT');
  process.exit(0);
});`;
// The Prisma module's own handler (the seed's pattern, moved into db.ts).
const prismaModule = `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient();
process.on('SIGINT', async () => { await prisma.$disconnect(); process.exit(0); });
process.on('SIGTERM', async () => { await prisma.$disconnect(); process.exit(0); });`;

const express = "import express from 'express';\nconst app = express();\n";
const fastify = "import Fastify from 'fastify';\nconst app = Fastify();\n";

const serverClass = (shutdownBody: string): string => `import net from 'node:net';
export class SocketServer {
  server = net.createServer();
  constructor() {
    process.on('SIGINT', () => this.shutdown());
    process.on('SIGTERM', () => this.shutdown());
  }
  start() {
    this.server.listen(5432, '0.0.0.0');
  }
  async shutdown() {
${shutdownBody}
  }
}`;

ruleTester.run('shutdown-must-close-server', rule, {
  valid: [
    {
      name: 'a server started by an imported listen() whose server is kept and closed before exiting',
      code: `import { listen } from './server';
const server = listen(Number(process.env.PORT));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);`,
    },
    {
      name: 'an imported start() that is not a server function name (a queue worker) and no package server: not reported',
      code: `import { start } from './worker';
start();
process.on('SIGTERM', async () => { process.exit(0); });
process.on('SIGINT', async () => { process.exit(0); });`,
    },
    // The handler calls a method of its own class, which closes the server (pglite-socket's pattern).
    serverClass('    await new Promise((resolve) => this.server.close(resolve));\n    process.exit(0);'),
    // Close, then exit in the close callback.
    `${express}const server = app.listen(3000);
function shutdown() {
  server.close(async () => {
    await prisma.$disconnect();
    process.exit(0);
  });
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);`,
    // Awaiting a promisified close, then the database, then exit.
    `${express}const server = app.listen(3000);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve(undefined))));
    await prisma.$disconnect();
    process.exit(0);
  });
}`,
    `import { promisify } from 'node:util';
${express}const server = app.listen(PORT);
['SIGINT', 'SIGTERM'].forEach((signal) => process.on(signal, async () => {
  await promisify(server.close.bind(server))();
  await db.end();
  process.exit(0);
}));`,
    // Fastify and Nest: close() resolves once requests have drained.
    `${fastify}await app.listen({ port: 3000, host: '0.0.0.0' });
const stop = async () => { await app.close(); await prisma.$disconnect(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);`,
    // Libraries that own the shutdown.
    `import { createHttpTerminator } from 'http-terminator';
${express}const server = app.listen(3000);
const terminator = createHttpTerminator({ server });
process.on('SIGTERM', async () => { await terminator.terminate(); process.exit(0); });`,
    `import closeWithGrace from 'close-with-grace';
${express}app.listen(3000);
process.on('SIGTERM', () => process.exit(0));`,
    `const { createTerminus } = require('@godaddy/terminus');
const server = require('http').createServer(app);
createTerminus(server, { signals: ['SIGTERM', 'SIGINT'], onSignal: () => prisma.$disconnect() });
server.listen(3000);
process.on('SIGINT', () => process.exit(0));`,
    `const stoppable = require('stoppable');
const server = stoppable(http.createServer(app)).listen(3000);
process.on('SIGTERM', () => { server.stop(); process.exit(0); });`,
    // NestJS shutdown hooks.
    `import { NestFactory } from '@nestjs/core';
const app = await NestFactory.create(AppModule);
app.enableShutdownHooks();
await app.listen(3000);
process.on('SIGTERM', () => logger.log('bye'));`,
    // A CLI script exiting on Ctrl+C: no server in this module.
    `process.on('SIGINT', () => { console.log('aborted'); process.exit(130); });`,
    `import { Client } from 'pg';
const client = new Client();
process.on('SIGTERM', async () => { await client.end(); process.exit(0); });`,
    // A shutdown module that receives the server and closes it, and the module that hands it over.
    `import { gracefulShutdown } from './shutdown';
${express}const server = app.listen(3000);
process.on('SIGTERM', () => gracefulShutdown(server));
process.on('SIGINT', () => gracefulShutdown(server));`,
    `export function gracefulShutdown(server) {
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}`,
    // Not a server: pub/sub listen.
    `subscriber.listen('jobs', handle);
process.on('SIGTERM', async () => { await subscriber.close(); process.exit(0); });`,
    // A server and no handler: only the stricter option reports it.
    `${express}const server = app.listen(3000);`,
    {
      name: 'Fastify app built in another module: awaiting its close() waits for the drain',
      code: `import { buildApp } from './app';
const app = await buildApp();
await app.listen({ port: 3000, host: '0.0.0.0' });
async function shutdown() {
  await app.close();
  await prisma.$disconnect();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);`,
    },
    {
      name: 'Fastify instance typed in a shutdown helper, close() then exit',
      code: `import type { FastifyInstance } from 'fastify';
export function registerShutdown(server: FastifyInstance) {
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, async () => { await server.close(); process.exit(0); });
}`,
    },
    {
      name: 'Fastify close chained to the exit',
      code: `${fastify}await app.listen({ port: 3000 });
const stop = () => app.close().then(() => prisma.$disconnect()).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);`,
    },
    {
      name: 'Hapi: await server.stop({ timeout }) drains',
      code: `import Hapi from '@hapi/hapi';
const server = Hapi.server({ port: 3000, host: '0.0.0.0' });
await server.start();
const stop = async () => { await server.stop({ timeout: 8000 }); await prisma.$disconnect(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);`,
    },
    {
      name: 'Nest: awaited app.close()',
      code: `import { NestFactory } from '@nestjs/core';
const app = await NestFactory.create(AppModule);
await app.listen(3000);
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, async () => { await app.close(); process.exit(0); });`,
    },
    {
      name: "Fastify's listen() returns a promise: dropping its result loses nothing",
      code: `import { app } from './app';
app.listen({ port: 3000, host: '0.0.0.0' }, (error) => { if (error) process.exit(1); });
process.on('SIGTERM', async () => { await app.close(); process.exit(0); });
process.on('SIGINT', async () => { await app.close(); process.exit(0); });`,
      filename: fastifyPackage,
    },
    {
      name: 'the Fastify instance handed to an imported helper is as good as the server',
      code: `import { gracefullyShutdown } from './lib/exit-handler';
main().then((fastify) => {
  process.on('SIGTERM', () => gracefullyShutdown(fastify));
  process.on('SIGINT', () => gracefullyShutdown(fastify));
  fastify.listen({ port: 3000 });
});`,
    },
    {
      name: 'a Prisma module in a package that runs no HTTP server (a CLI tool)',
      code: prismaModule,
      filename: toolPackage,
    },
    {
      name: 'a seed script in a server package exits on its own',
      code: `process.on('SIGINT', async () => { await prisma.$disconnect(); process.exit(0); });`,
      filename: expressSeedScript,
    },
    {
      name: 'a dev script under scripts/ (skipped by default: it never gets a platform SIGTERM with requests in flight)',
      code: devRunner,
      filename: expressDevScript,
    },
    {
      name: 'a dev runner outside scripts/: a free-port probe is no server to drain, and stopping child processes is not a service shutdown',
      code: devRunner,
      filename: expressDevRunner,
    },
    {
      name: 'a supervisor that passes both signals on to its child and exits once the child has exited',
      code: `import { spawn } from 'node:child_process';
import { once } from 'node:events';
const backend = spawn('node', ['dist/main.js'], { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, async () => {
    process.kill(backend.pid, signal);
    await once(backend, 'exit');
    process.exit(0);
  });
}`,
      filename: expressSupervisor,
    },
    {
      name: 'Ctrl+C in a module without a server: exit(130) is a tool leaving, not a service shutting down',
      code: `process.on('SIGINT', () => { console.log('aborted'); process.exit(130); });`,
      filename: expressPackage,
    },
    {
      name: 'a scheduler stopped next to a server that is closed',
      code: `${express}const server = app.listen(3000);
const shutdown = () => { scheduler.stop(); server.close(() => process.exit(0)); };
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);`,
    },
  ],
  invalid: [
    {
      // The seed: disconnect and exit, the server never closed and never kept.
      code: `${express}
process.on('SIGINT', async () => {
  logger.info('Shutting down gracefully...');
  await prisma.$disconnect();
  process.exit(0);
});

process.on('SIGTERM', async () => {
  logger.info('Shutting down gracefully...');
  await prisma.$disconnect();
  process.exit(0);
});

app.listen(PORT, () => {
  logger.info('Server running');
});`,
      errors: [
        { messageId: 'neverClosesServer', data: { signal: 'SIGINT' }, line: 4, column: 1 },
        { messageId: 'neverClosesServer', data: { signal: 'SIGTERM' }, line: 10, column: 1 },
        { messageId: 'serverNotKept', data: { callee: 'app.listen' }, line: 16, column: 1 },
      ],
    },
    {
      code: `${express}const server = app.listen(3000);
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
process.on('SIGINT', () => { server.close(() => process.exit(0)); });`,
      errors: [{ messageId: 'exitBeforeClose', line: 6, column: 3 }],
    },
    {
      // Node's server.close() returns the server, not a promise: awaiting it waits for nothing.
      code: `${express}const server = app.listen(3000);
const shutdown = async () => { await server.close(); process.exit(0); };
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);`,
      // One handler for both signals: one report.
      errors: [{ messageId: 'exitBeforeClose', line: 4 }],
    },
    {
      code: `${fastify}await app.listen({ port: 3000 });
async function shutdown() {
  await prisma.$disconnect();
  await app.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);`,
      // Fastify's close() is a promise: exiting after it is right, disconnecting before it is the problem.
      errors: [{ messageId: 'disconnectBeforeClose', line: 5, column: 9 }],
    },
    {
      code: `${express}const server = app.listen(3000);
process.on('SIGTERM', () => server.close(() => process.exit(0)));`,
      errors: [{ messageId: 'missingSignal', data: { handled: 'SIGTERM', missing: 'SIGINT' }, line: 4 }],
    },
    {
      code: `${express}const server = app.listen(3000);`,
      options: [{ requireSignalHandler: true }],
      errors: [{ messageId: 'noSignalHandler', line: 3 }],
    },
    {
      code: `const http = require('http');
const server = http.createServer(handler);
server.listen(8080);
const signals = ['SIGTERM', 'SIGINT'];
for (const signal of signals) process.on(signal, () => process.exit(0));`,
      errors: [{ messageId: 'neverClosesServer', data: { signal: 'SIGTERM/SIGINT' } }],
    },
    {
      name: 'one named handler for both signals: one report naming both',
      code: `${express}const server = app.listen(3000);
async function shutdown() { await prisma.$disconnect(); process.exit(0); }
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);`,
      errors: [{ messageId: 'neverClosesServer', data: { signal: 'SIGTERM/SIGINT' }, line: 5 }],
    },
    {
      name: 'arrow wrappers calling one routine: the problem inside it is reported once',
      code: `${express}const server = app.listen(3000);
const shutdown = async (signal: string) => { await prisma.$disconnect(); server.close(() => process.exit(0)); };
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));`,
      errors: [{ messageId: 'disconnectBeforeClose', line: 4, column: 52 }],
    },
    {
      name: 'Fastify app from another module: disconnect before close, and no exit-before-close',
      code: `import { app } from './app';
await app.listen({ port: 3000, host: '0.0.0.0' });
process.on('SIGTERM', async () => { await prisma.$disconnect(); await app.close(); process.exit(0); });
process.on('SIGINT', async () => { await prisma.$disconnect(); await app.close(); process.exit(0); });`,
      errors: [
        { messageId: 'disconnectBeforeClose', line: 3 },
        { messageId: 'disconnectBeforeClose', line: 4 },
      ],
    },
    {
      name: 'Nest close() not awaited before exit',
      code: `import { NestFactory } from '@nestjs/core';
const app = await NestFactory.create(AppModule);
await app.listen(3000);
const stop = () => { app.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);`,
      errors: [{ messageId: 'exitBeforeClose', line: 4, column: 35 }],
    },
    {
      name: 'a scheduler stopped is not the server closed',
      code: `${express}app.listen(3000);
const shutdown = () => { scheduler.stop(); process.exit(0); };
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);`,
      errors: [
        { messageId: 'serverNotKept', line: 3 },
        { messageId: 'neverClosesServer', data: { signal: 'SIGTERM/SIGINT' }, line: 5 },
      ],
    },
    {
      name: 'Express app from another module, listen() result dropped (package.json says Express)',
      code: `import { app } from './app';
app.listen(3000);
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));`,
      filename: expressPackage,
      errors: [
        { messageId: 'serverNotKept', line: 2 },
        { messageId: 'neverClosesServer', line: 3 },
        { messageId: 'neverClosesServer', line: 4 },
      ],
    },
    {
      name: 'the Prisma module disconnects and exits while the package runs an Express server',
      code: prismaModule,
      filename: expressPackage,
      errors: [
        { messageId: 'serverElsewhere', data: { signal: 'SIGINT', does: 'disconnects the database and exits the process', dependency: 'express' }, line: 3 },
        { messageId: 'serverElsewhere', data: { signal: 'SIGTERM', does: 'disconnects the database and exits the process', dependency: 'express' }, line: 4 },
      ],
    },
    {
      name: 'a supervisor that passes on only SIGINT and exits at once (hoppscotch prod_run.mjs, reduced)',
      code: hoppscotchSupervisor,
      filename: expressSupervisor,
      errors: [
        { messageId: 'supervisorMissingSignal', data: { handled: 'SIGINT', missing: 'SIGTERM', senders: 'Docker, Kubernetes, Railway, Render and Heroku send' }, line: 9 },
        { messageId: 'supervisorExitsFirst', data: { signal: 'SIGINT' }, line: 13 },
      ],
    },
    {
      name: 'a supervisor that passes on only SIGTERM (it does not exit itself)',
      code: `import { spawn } from 'node:child_process';
const backend = spawn('node', ['dist/main.js'], { stdio: 'inherit' });
backend.on('exit', (code) => process.exit(code ?? 1));
process.on('SIGTERM', () => backend.kill('SIGTERM'));`,
      filename: expressSupervisor,
      errors: [{ messageId: 'supervisorMissingSignal', data: { handled: 'SIGTERM', missing: 'SIGINT', senders: 'Fly sends' }, line: 4 }],
    },
    {
      name: 'ignoreFiles: [] checks scripts too',
      code: `${express}const server = app.listen(3000);
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));`,
      filename: expressDevScript,
      options: [{ ignoreFiles: [] }],
      errors: [
        { messageId: 'neverClosesServer', line: 4 },
        { messageId: 'neverClosesServer', line: 5 },
      ],
    },
    {
      name: 'a shutdown helper registered for both signals that only disconnects, in a Fastify package',
      code: `import { prisma } from './db';
const shutdown = async () => { await prisma.$disconnect(); };
['SIGTERM', 'SIGINT'].forEach((signal) => process.on(signal, shutdown));`,
      filename: fastifyPackage,
      errors: [{ messageId: 'serverElsewhere', data: { signal: 'SIGTERM/SIGINT', does: 'disconnects the database', dependency: 'fastify' }, line: 3 }],
    },
    {
      name: 'signal names from a const list (`as const`) in a for…of',
      code: `${express}const server = app.listen(8080);
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
function onSignal() { redis.quit(); process.exit(0); }
for (const signal of SIGNALS) process.on(signal, onSignal);`,
      errors: [{ messageId: 'neverClosesServer', data: { signal: 'SIGINT/SIGTERM' }, line: 6 }],
    },
    {
      name: 'Fastify: a promise chain that disconnects and exits, the instance never closed',
      code: `${fastify}await app.listen({ port: 3000 });
process.on('SIGTERM', () => { db.$disconnect().then(() => process.exit(0)); });
process.on('SIGINT', () => { db.$disconnect().then(() => process.exit(0)); });`,
      errors: [
        { messageId: 'neverClosesServer', data: { signal: 'SIGTERM' }, line: 4 },
        { messageId: 'neverClosesServer', data: { signal: 'SIGINT' }, line: 5 },
      ],
    },
    {
      name: 'Hapi: disconnect in a try, exit in its finally, the server never stopped',
      code: `import Hapi from '@hapi/hapi';
const server = Hapi.server({ port: 3000 });
await server.start();
const stop = async () => { try { await prisma.$disconnect(); } finally { process.exit(0); } };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);`,
      errors: [{ messageId: 'neverClosesServer', data: { signal: 'SIGTERM/SIGINT' }, line: 5 }],
    },
    {
      name: 'NestJS on Express without a signal handler or enableShutdownHooks(): the fix drains the HTTP server, then runs Nest hooks (app.close()) and exits',
      code: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(process.env.PORT ?? 3000);
}
void bootstrap();`,
      errors: [{ messageId: 'nestShutdownHooks', data: { app: 'app' }, line: 6, column: 9 }],
      output: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(process.env.PORT ?? 3000);
${NEST_ROUTINE}}
void bootstrap();`,
    },
    {
      name: 'NestJS on Fastify without a signal handler: the same routine (it drains Fastify\'s Node server, then app.close())',
      code: `import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  await app.listen(3000, '0.0.0.0');
}
void bootstrap();`,
      errors: [{ messageId: 'nestShutdownHooks', data: { app: 'app' }, line: 7 }],
      output: `import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  await app.listen(3000, '0.0.0.0');
${NEST_ROUTINE}}
void bootstrap();`,
    },
    {
      name: 'a server started through an imported listen(PORT, cb): the handler disconnects and exits without closing it',
      code: `import { listen } from './server';
import { prisma } from './db';
listen(Number(process.env.PORT), () => console.log('up'));
const shutdown = async () => { await prisma.$disconnect(); process.exit(0); };
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);`,
      errors: [
        {
          messageId: 'serverStartedByImport',
          data: { signal: 'SIGTERM/SIGINT', does: 'disconnects the database and exits the process', callee: 'listen', module: './server' },
          line: 5,
        },
      ],
    },
    {
      name: 'a server started by an imported startServer(), required in CommonJS',
      filename: expressPackage.replace('lib/prisma.ts', 'index.js'),
      code: `const { startServer } = require('./app');
startServer();
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));`,
      errors: [
        { messageId: 'serverStartedByImport', data: { signal: 'SIGTERM', does: 'exits the process', callee: 'startServer', module: './app' }, line: 3 },
        { messageId: 'serverStartedByImport', data: { signal: 'SIGINT', does: 'exits the process', callee: 'startServer', module: './app' }, line: 4 },
      ],
    },
    {
      name: "Nest with Prisma 4's prismaService.enableShutdownHooks(app) only: Nest itself still handles no signal",
      code: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { PrismaService } from './prisma.service';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(4001);

  const prismaService = app.get(PrismaService);
  await prismaService.enableShutdownHooks(app);
}
bootstrap();`,
      errors: [{ messageId: 'nestShutdownHooks', data: { app: 'app' }, line: 7 }],
      output: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { PrismaService } from './prisma.service';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(4001);
${NEST_ROUTINE}
  const prismaService = app.get(PrismaService);
  await prismaService.enableShutdownHooks(app);
}
bootstrap();`,
    },
    // The class method is read, not trusted: this one exits without closing.
    {
      code: serverClass('    await db.close();\n    process.exit(0);'),
      errors: [
        { messageId: 'neverClosesServer', data: { signal: 'SIGINT' }, line: 5 },
        { messageId: 'neverClosesServer', data: { signal: 'SIGTERM' }, line: 6 },
      ],
    },
  ],
});
