import winston from 'winston';

const options = {
  transports: [new winston.transports.File({ filename: 'logs/app.log' })],
};

export const logger = winston.createLogger(options);
