import express, { type Request, type Response } from 'express';
import { prisma } from './config/database';
import { reportsRouter } from './routes/reports';
import { findUserByEmail } from './services/auth.service';
import { logger } from './utils/logger';

const app = express();
const PORT = process.env.PORT || 3000;

app.use(express.json());

app.get('/health', async (_req: Request, res: Response) => {
  try {
    await prisma.$queryRaw`SELECT 1`;
    res.json({ status: 'ok', database: 'connected' });
  } catch (error) {
    res.status(500).json({ status: 'error', database: 'disconnected' });
  }
});

app.get('/api', (_req: Request, res: Response) => {
  res.json({ name: 'example-service', version: '1.0.0' });
});

app.get('/api/users/:email', async (req: Request, res: Response) => {
  const user = await findUserByEmail(String(req.params.email));
  if (!user) return res.status(404).json({ error: 'not found' });
  res.json({ id: user.id, email: user.email });
});

app.use('/api/reports', reportsRouter);

// Graceful shutdown
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
    logger.info('Shutting down gracefully...');
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

const server = app.listen(PORT, () => {
  logger.info(`Server running on http://localhost:${PORT}`);
});
