import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';

const rotate = { datePattern: 'YYYY-MM-DD', maxFiles: '14d' };

export const logger = winston.createLogger({
  format: winston.format.json(),
  transports: [
    new winston.transports.Console(),
    new DailyRotateFile({ ...rotate, filename: 'logs/app-%DATE%.log' }),
  ],
});

logger.add(new DailyRotateFile({ filename: 'logs/error-%DATE%.log', level: 'error' }));
