"use strict";
const { createLogger, format, transports } = require("winston");

const logger = createLogger({
  level: "info",
  format: format.combine(format.timestamp(), format.json()),
  transports: [
    new transports.Console({ level: "info", stderrLevels: ["error"] }),
  ],
});

module.exports = logger;
