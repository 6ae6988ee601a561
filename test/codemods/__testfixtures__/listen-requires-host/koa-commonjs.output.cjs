"use strict";
const Koa = require("koa");
const app = new Koa();

app.use((ctx) => { ctx.body = "ok"; });

app.listen({ port: 3000, host: process.env.HOST });
