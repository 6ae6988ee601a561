import Fastify from 'fastify';
const app = Fastify();
app.listen({ port: 3000 });
