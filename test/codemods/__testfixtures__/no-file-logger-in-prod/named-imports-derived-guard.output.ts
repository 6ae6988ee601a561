import { createLogger, format, transports } from 'winston';

const isProduction = process.env.NODE_ENV === 'production';

const logger = createLogger({
  level: process.env.LOG_LEVEL || 'info',
  format: format.combine(format.timestamp(), format.errors({ stack: true }), format.json()),
  defaultMeta: { service: 'example' },
  transports: [
    new transports.Console({
      format: !isProduction ? format.combine(format.colorize(), format.simple()) : format.json(),
      stderrLevels: ['error'],
    }),
  ],
});

export default logger;
