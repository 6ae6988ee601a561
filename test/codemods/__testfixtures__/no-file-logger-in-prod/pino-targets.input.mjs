import pino from 'pino';

export const logger = pino({
  level: 'info',
  transport: {
    targets: [
      { target: 'pino/file', level: 'error', options: { destination: './logs/error.log', mkdir: true } },
      { target: 'pino-roll', level: 'info', options: { file: './logs/app', frequency: 'daily' } },
    ],
  },
});

export const auditLogger = pino({ transport: { target: 'pino/file', options: { destination: '/var/log/audit.log' } } });
