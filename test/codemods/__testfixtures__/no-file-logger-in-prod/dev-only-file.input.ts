import { createLogger, format, transports } from 'winston';

const isProduction = process.env.NODE_ENV === 'production';

export const logger = createLogger({
  format: format.json(),
  transports: [
    new transports.Console(),
    ...(isProduction ? [] : [new transports.File({ filename: 'logs/debug.log', level: 'debug' })]),
  ],
});

if (process.env.LOG_FILE) {
  logger.add(new transports.File({ filename: process.env.LOG_FILE }));
}
