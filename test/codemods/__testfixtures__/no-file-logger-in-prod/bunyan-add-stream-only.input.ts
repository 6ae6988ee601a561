import bunyan from 'bunyan';

export const log = bunyan.createLogger({ name: 'api', streams: [] });

log.addStream({ type: 'file', level: 'warn', path: 'logs/warn.log' });
