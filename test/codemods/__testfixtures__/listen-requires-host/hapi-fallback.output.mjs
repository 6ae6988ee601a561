import Hapi from '@hapi/hapi';

const server = Hapi.server({
  port: process.env.PORT || 3000,
  host: process.env.HOST,
});
await server.start();
console.log('Server running on %s', server.info.uri);
