import Fastify from 'fastify';
import { prisma } from './db';

const app = Fastify({ logger: true });

process.on('SIGTERM', async () => {
  // flush queues first
  await queue.close();
  await prisma.$disconnect();
  process.exit(0);
});
process.on('SIGINT', async () => {
  // flush queues first
  await queue.close();
  await prisma.$disconnect();
  process.exit(0);
});

await app.listen({ port: 3000, host: '0.0.0.0' });
