import express from 'express';
import { prisma } from './db';

const app = express();
const server = app.listen(3000);

const stop = async () => {
  await prisma.$disconnect();
  server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
