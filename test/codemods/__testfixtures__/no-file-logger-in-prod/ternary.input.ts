import winston from 'winston';

const isProd = process.env.NODE_ENV === 'production';

export const logger = winston.createLogger({
  transports: isProd
    ? [new winston.transports.File({ filename: 'logs/app.log' })]
    : [new winston.transports.Console()],
});
