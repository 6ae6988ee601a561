import pino from 'pino';

export const logger = pino({
  level: 'info',
  transport: {
    targets: [
      { target: 'pino/file', level: 'info', options: { destination: 1 } },
    ],
  },
});

export const auditLogger = pino({});
