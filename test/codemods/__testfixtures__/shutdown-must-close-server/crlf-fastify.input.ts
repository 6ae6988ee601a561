// Windows line endings, and log lines that name the signal each handler was registered for.
import { app } from './fastify';
import { disconnectDatabase } from '../database/prisma-client';

await app.listen({ port: 3000, host: '0.0.0.0' });

process.on('SIGINT', async () => {
    app.log.info('Recebido SIGINT, fechando servidor...');
    await disconnectDatabase();
    process.exit(0);
});

process.on('SIGTERM', async () => {
    app.log.info('Recebido SIGTERM, fechando servidor...');
    await disconnectDatabase();
    process.exit(0);
});
