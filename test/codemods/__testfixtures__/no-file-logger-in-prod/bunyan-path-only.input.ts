import bunyan from 'bunyan';

export const log = bunyan.createLogger({ name: 'api', streams: [{ level: 'error', path: '/var/tmp/api-error.log' }] });
