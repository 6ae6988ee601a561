import Hapi from '@hapi/hapi';
import { prisma } from './db';

const server = Hapi.server({ port: process.env.PORT ?? 3000, host: '0.0.0.0' });
await server.start();

process.on('SIGTERM', async () => {
  try {
    await prisma.$disconnect();
  } finally {
    process.exit(0);
  }
});
process.on('SIGINT', async () => {
  try {
    await prisma.$disconnect();
  } finally {
    process.exit(0);
  }
});
