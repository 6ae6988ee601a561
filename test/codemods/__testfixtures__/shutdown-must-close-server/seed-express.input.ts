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
  logger.info(`Server running on http://localhost:${PORT}`);
});
