import winston from 'winston';

if (!process.env.JWT_SECRET) {
  throw new Error('JWT_SECRET must be set');
}

export const logger = winston.createLogger({
  format: winston.format.json(),
  transports: [
    new winston.transports.Console(),
    new winston.transports.File({ filename: 'logs/app.log' }),
  ],
});
