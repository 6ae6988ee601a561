import log4js from 'log4js';

log4js.configure({
  appenders: {
    out: { type: 'stdout', layout: { type: 'basic' } },
  },
  categories: {
    default: { appenders: ['out'], level: 'info' },
    http: { appenders: ['out'], level: 'warn' },
  },
});

export const logger = log4js.getLogger();
