const winston = require('winston');
const { NODE_ENV } = process.env;
module.exports = logger = winston.createLogger({
  level: 'info',
  format: winston.format.json(),
  transports: [
    new winston.transports.Console({
      format: NODE_ENV !== 'production' ? winston.format.simple() : winston.format.json(),
      stderrLevels: ['error'],
    })
  ]
});
