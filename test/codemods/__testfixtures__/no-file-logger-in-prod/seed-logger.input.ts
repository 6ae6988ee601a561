import winston from 'winston';

const logFormat = winston.format.combine(
  winston.format.timestamp(),
  winston.format.errors({ stack: true }),
  winston.format.json()
);

export const logger = winston.createLogger({
  level: process.env.LOG_LEVEL || 'info',
  format: logFormat,
  defaultMeta: { service: 'materni-love-api' },
  transports: [
    // Errors only
    new winston.transports.File({ filename: 'logs/error.log', level: 'error' }),
    // Everything
    new winston.transports.File({ filename: 'logs/combined.log' }),
  ],
});

// Pretty output while developing
if (process.env.NODE_ENV !== 'production') {
  logger.add(
    new winston.transports.Console({
      format: winston.format.combine(winston.format.colorize(), winston.format.simple()),
    })
  );
}

export default logger;
