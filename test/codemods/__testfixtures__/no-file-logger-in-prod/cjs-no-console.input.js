"use strict";
const { createLogger, format, transports } = require("winston");
const path = require("path");

const LOG_DIR = path.join(__dirname, "..", "logs");

const logger = createLogger({
  level: "info",
  format: format.combine(format.timestamp(), format.json()),
  transports: [
    new transports.File({ filename: path.join(LOG_DIR, "error.log"), level: "error" }),
    new transports.File({ filename: path.join(LOG_DIR, "app.log"), level: "info" }),
  ],
});

module.exports = logger;
