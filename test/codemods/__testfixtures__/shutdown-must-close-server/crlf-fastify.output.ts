// Windows line endings, and log lines that name the signal each handler was registered for.
import { app } from './fastify';
import { disconnectDatabase } from '../database/prisma-client';

await app.listen({ port: 3000, host: '0.0.0.0' });

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
    app.log.info(`Recebido ${signal}, fechando servidor...`);
    // Stops accepting connections and resolves once in-flight requests have been answered; sockets kept
    // alive after their last response are closed as they turn idle, or close() waits for keepAliveTimeout.
    const closeIdleConnections = setInterval(() => app.server.closeIdleConnections(), 100);
    await app.close();
    clearInterval(closeIdleConnections);
    await disconnectDatabase();
    process.exit(0);
  } catch (error) {
    console.error(`${signal}: shutdown failed`, error);
    process.exit(1);
  }
}

// Docker, Kubernetes, Railway, Render and Heroku send SIGTERM; Fly sends SIGINT.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

