import express from 'express';
import { prisma } from './db';

const app = express();
const server = app.listen(process.env.PORT ?? 3000);

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
    console.log(`${signal} received, shutting down`);
    // Stop accepting connections and let in-flight requests finish; keep-alive sockets are closed as
    // soon as they turn idle, so the drain does not wait for keepAliveTimeout.
    const closeIdleConnections = setInterval(() => server.closeIdleConnections(), 100);
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    clearInterval(closeIdleConnections);
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
