// Read by log4js.configure(require('./log-config')) in app.js.
module.exports = {
  appenders: {
    out: { type: 'stdout' },
  },
  categories: {
    default: { appenders: ['out'], level: 'info' },
  },
};
