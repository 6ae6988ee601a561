import express from 'express';
import { redis } from './cache';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const app = express();
const server = app.listen(8080);

function onSignal(sig: NodeJS.Signals) {
  console.log(`got ${sig}`);
  redis.quit();
  process.exit(0);
}

for (const signal of SIGNALS) process.on(signal, onSignal);
