import Fastify from 'fastify';

const app = Fastify({ logger: true });

async function main(): Promise<void> {
  await app.listen({
    port: Number(process.env.PORT ?? 3000), // Railway injects PORT
  });
}

void main();
