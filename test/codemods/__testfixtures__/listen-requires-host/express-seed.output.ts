import express, { Request, Response } from 'express';
import { prisma } from './config/database';
import { logger } from './utils/logger';

const app = express();
const PORT = process.env.PORT || 3000;

app.get('/health', async (req: Request, res: Response) => {
  await prisma.$queryRaw`SELECT 1`;
  res.json({ status: 'ok' });
});

// Start the HTTP server
app.listen({ port: PORT, host: process.env.HOST }, () => {
  logger.info(`Server running on http://localhost:${PORT}`);
});
