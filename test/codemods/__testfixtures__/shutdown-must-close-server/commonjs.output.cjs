"use strict";
const express = require("express");
const { pool } = require("./db");

const app = express();
const server = app.listen(process.env.PORT, process.env.HOST);

let shuttingDown = false;

async function shutdown(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  // Exit on our own before the platform's SIGKILL (Docker 10 s, Fly 5 s) if something hangs.
  setTimeout(() => {
    console.error(`${signal}: shutdown took longer than 8000 ms, exiting`);
    process.exit(1);
  }, 8000).unref();
  try {
    // Stop accepting connections and let in-flight requests finish; keep-alive sockets are closed as
    // soon as they turn idle, so the drain does not wait for keepAliveTimeout.
    const closeIdleConnections = setInterval(() => server.closeIdleConnections(), 100);
    await new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    clearInterval(closeIdleConnections);
    console.log("bye");
    pool.end();
    process.exit(0);
  } catch (error) {
    console.error(`${signal}: shutdown failed`, error);
    process.exit(1);
  }
}

// Docker, Kubernetes, Railway, Render and Heroku send SIGTERM; Fly sends SIGINT.
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
