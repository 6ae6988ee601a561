import Fastify from 'fastify';
import { prisma } from './db';

const app = Fastify({ logger: true });

let shuttingDown = false;

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  // Exit on our own before the platform's SIGKILL (Docker 10 s, Fly 5 s) if something hangs.
  setTimeout(() => {
    console.error(`${signal}: shutdown took longer than 8000 ms, exiting`);
    process.exit(1);
  }, 8000).unref();
  try {
    await app.close();
    // flush queues first
    await queue.close();
    await prisma.$disconnect();
    process.exit(0);
  } catch (error) {
    console.error(`${signal}: shutdown failed`, error);
    process.exit(1);
  }
}

// Docker, Kubernetes, Railway, Render and Heroku send SIGTERM; Fly sends SIGINT.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: 3000, host: '0.0.0.0' });
