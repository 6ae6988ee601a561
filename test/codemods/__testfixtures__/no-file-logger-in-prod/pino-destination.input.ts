import pino, { destination } from 'pino';

export const logger = pino(
  { level: process.env.LOG_LEVEL ?? 'info' },
  destination({ dest: './logs/app.log', sync: false }),
);
