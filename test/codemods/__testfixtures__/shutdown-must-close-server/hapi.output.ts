import Hapi from '@hapi/hapi';
import { prisma } from './db';

const server = Hapi.server({ port: process.env.PORT ?? 3000, host: '0.0.0.0' });
await server.start();

let shuttingDown = false;

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  // Exit on our own if something hangs, before the platform's SIGKILL: Fly sends SIGINT and kills 5 s
  // later, Docker sends SIGTERM and kills 10 s later (Kubernetes, Heroku, Render: 30 s).
  const deadlineMs = signal === 'SIGINT' ? 4000 : 8000;
  setTimeout(() => {
    console.error(`${signal}: shutdown took longer than ${deadlineMs} ms, exiting`);
    process.exit(1);
  }, deadlineMs).unref();
  try {
    // Stops accepting connections; requests still running after the timeout are cut.
    await server.stop({ timeout: deadlineMs - 1000 });
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
