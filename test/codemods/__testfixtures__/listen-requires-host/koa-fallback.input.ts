import Koa from 'koa';

const app = new Koa();
app.use((ctx) => {
  ctx.body = 'ok';
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, process.env.HOST ?? 'localhost');
