"use strict";
const express = require("express");
const { pool } = require("./db");

const app = express();
const server = app.listen(process.env.PORT, process.env.HOST);

process.on("SIGTERM", () => {
  console.log("bye");
  pool.end();
  process.exit(0);
});
process.on("SIGINT", () => {
  console.log("bye");
  pool.end();
  process.exit(0);
});
