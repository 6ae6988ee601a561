import Koa from 'koa';
import { pool } from './db';

const app = new Koa();
app.use((ctx) => {
  ctx.body = 'ok';
});
const server = app.listen(3000);

const gracefulShutdown = async () => {
  console.info('SIGTERM signal received.');
  await pool.end();
  process.exit(0);
};

process.on('SIGTERM', gracefulShutdown);
