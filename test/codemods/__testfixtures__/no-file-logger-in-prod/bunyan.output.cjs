const bunyan = require('bunyan');

module.exports = bunyan.createLogger({
  name: 'api',
  streams: [{ stream: process.stdout }],
});
