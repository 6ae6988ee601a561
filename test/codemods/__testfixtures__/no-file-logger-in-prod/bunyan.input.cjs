const bunyan = require('bunyan');

module.exports = bunyan.createLogger({
  name: 'api',
  streams: [{ stream: process.stdout }, { type: 'rotating-file', path: 'logs/api.log', period: '1d' }],
});
