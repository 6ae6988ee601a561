import { buildApp } from './app';
import { db } from './db';

const app = await buildApp();
await app.listen({ port: 3000, host: '0.0.0.0' });

process.on('SIGTERM', () => {
  app.log.info('SIGTERM: closing');
  db.$disconnect().then(() => process.exit(0));
});
process.on('SIGINT', () => {
  app.log.info('SIGINT: closing');
  db.$disconnect().then(() => process.exit(0));
});
