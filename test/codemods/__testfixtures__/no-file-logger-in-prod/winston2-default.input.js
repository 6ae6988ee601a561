const winston = require('winston');

winston.remove(winston.transports.Console);
winston.add(winston.transports.File, { filename: 'logs/app.log', level: 'info', json: true });

module.exports = winston;
