import express from 'express';
import { prisma } from './db';

const app = express();
const server = app.listen(process.env.PORT ?? 3000);

async function shutdown() {
  console.log('SIGTERM received, shutting down');
  await prisma.$disconnect();
  process.exit(0);
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
