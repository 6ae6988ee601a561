// Preloaded into the example server by the end-to-end test: prints a line when the Prisma client
// disconnects, so the test can order the disconnect against the last HTTP response. Nothing else changes.
'use strict';
const { join } = require('node:path');

const { PrismaClient } = require(join(process.cwd(), 'src', 'generated', 'prisma', 'client'));
const disconnect = PrismaClient.prototype.$disconnect;
PrismaClient.prototype.$disconnect = async function recordedDisconnect(...args) {
  process.stdout.write(`db:disconnect ${Date.now()}\n`);
  return disconnect.apply(this, args);
};
