import fs from 'node:fs';
import pino from 'pino';

const streams = [
  { stream: process.stdout },
  { level: 'error' as const, stream: fs.createWriteStream('./logs/error.log', { flags: 'a' }) },
];

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.multistream(streams));

export const auditLogger = pino(
  { name: 'audit' },
  pino.multistream([
    { stream: process.stdout },
    { stream: fs.createWriteStream('./logs/audit.log') },
  ]),
);
