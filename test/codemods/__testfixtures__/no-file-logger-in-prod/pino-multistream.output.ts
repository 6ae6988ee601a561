import pino from 'pino';

const streams = [
  { stream: process.stdout },
];

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.multistream(streams));

export const auditLogger = pino(
  { name: 'audit' },
  pino.multistream([
    { stream: process.stdout },
  ]),
);
