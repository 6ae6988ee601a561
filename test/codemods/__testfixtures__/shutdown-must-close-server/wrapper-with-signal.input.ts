import app from './app';
import { prisma } from './prisma/client';

const server = app.listen(process.env.PORT || 5000);

const shutdown = async (signal: 'SIGTERM' | 'SIGINT') => {
  console.log(`${signal} received, shutting down`);
  await prisma.$disconnect();
  server.close(() => process.exit(0));
};

process.on('SIGTERM', () => {
  void shutdown('SIGTERM');
});
process.on('SIGINT', () => {
  void shutdown('SIGINT');
});
