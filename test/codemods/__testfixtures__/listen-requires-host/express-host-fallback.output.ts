import express from 'express';

const app = express();
const PORT = Number(process.env.PORT ?? 3000);
// Defaults to localhost for local development.
const HOST = process.env.HOST;

app.listen({ port: PORT, host: HOST }, () => {
  console.log(`listening on ${PORT}`);
});
