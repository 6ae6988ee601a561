import winston from 'winston';

const fileTransports = [new winston.transports.File({ filename: 'logs/app.log' })];

export const logger = winston.createLogger({
  transports: [new winston.transports.Console(), ...fileTransports],
});
