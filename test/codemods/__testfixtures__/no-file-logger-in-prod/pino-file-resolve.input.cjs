const { resolve } = require('node:path');
const pino = require('pino');

module.exports = pino({
  level: 'info',
  transport: {
    target: 'pino/file',
    options: { destination: resolve(__dirname, '../logs/app.log'), mkdir: true },
  },
});
