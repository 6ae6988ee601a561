const bunyan = require('bunyan');

const log = bunyan.createLogger({ name: 'api' });
log.addStream({ level: 'debug', path: 'logs/debug.log' });

module.exports = log;
