import log4js from 'log4js';

log4js.configure({
  appenders: {
    file: { type: 'file', filename: 'logs/app.log', maxLogSize: 10485760, backups: 3 },
    daily: { type: 'dateFile', filename: 'logs/daily.log', pattern: 'yyyy-MM-dd', compress: true },
    errors: { type: 'logLevelFilter', appender: 'file', level: 'error' },
  },
  categories: {
    default: { appenders: ['file', 'daily'], level: 'info' },
    http: { appenders: ['errors'], level: 'warn' },
  },
});

export const logger = log4js.getLogger();
