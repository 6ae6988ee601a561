import Fastify from 'fastify';
const app = Fastify();
app.listen({ port: 3000, host: process.env.HOST ?? '0.0.0.0' });
