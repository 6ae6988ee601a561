import Fastify from 'fastify';

const app = Fastify({ logger: true });

async function start(): Promise<void> {
  await app.listen({
    port: Number(process.env.PORT) || 3000,
    host: process.env.HOSTNAME || "localhost",
  });
}

void start();
