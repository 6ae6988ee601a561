// Read by log4js.configure(require('./log-config')) in app.js.
module.exports = {
  appenders: {
    out: { type: 'stdout' },
    app: { type: 'file', filename: 'logs/app.log', maxLogSize: 10485760, backups: 3 },
  },
  categories: {
    default: { appenders: ['out', 'app'], level: 'info' },
  },
};
