import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/shutdown-must-close-server';

const ruleTester = new RuleTester();

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
      errors: [{ messageId: 'exitBeforeClose', line: 4 }, { messageId: 'exitBeforeClose', line: 4 }],
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
      errors: [
        { messageId: 'disconnectBeforeClose', line: 5, column: 9 },
        { messageId: 'disconnectBeforeClose', line: 5, column: 9 },
      ],
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
