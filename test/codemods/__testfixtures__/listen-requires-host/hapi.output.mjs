import Hapi from '@hapi/hapi';

const server = Hapi.server({
  port: process.env.PORT || 3000,
  routes: { cors: true },
  host: process.env.HOST,
});
await server.start();
