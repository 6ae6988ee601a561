import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';

const rotate = new DailyRotateFile({ filename: 'logs/app-%DATE%.log' });

export const logger = winston.createLogger({
  transports: [new winston.transports.Console(), rotate],
});

export const auditLogger = winston.createLogger({
  transports: [rotate],
});
