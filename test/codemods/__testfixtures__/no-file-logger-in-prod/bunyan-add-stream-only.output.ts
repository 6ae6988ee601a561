import bunyan from 'bunyan';

export const log = bunyan.createLogger({ name: 'api', streams: [] });

log.addStream({ level: 'warn', stream: process.stdout });
