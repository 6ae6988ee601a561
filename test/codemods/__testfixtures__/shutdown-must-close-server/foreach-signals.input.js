const express = require('express');
const { db } = require('./db');

const app = express();
app.listen(process.env.PORT);

['SIGTERM', 'SIGINT'].forEach((signal) => {
  process.on(signal, async () => {
    console.log(`${signal} received`);
    await db.end();
    process.exit(0);
  });
});
