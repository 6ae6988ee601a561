const winston = require('winston');

const file = new winston.transports.File({ filename: 'logs/app.log' });

const logger = winston.createLogger({ transports: [new winston.transports.Console()] });
if (process.env.LOG_TO_FILE !== 'no') logger.add(file);

module.exports = { logger, file };
