const log4js = require("log4js");

log4js.configure({
  appenders: { out: { type: "stdout" }, sync: { type: "fileSync", filename: "logs/sync.log" }, multi: { type: "multiFile", base: "logs/", property: "categoryName", extension: ".log" } },
  categories: { default: { appenders: ["sync", "multi"], level: "debug" }, audit: { appenders: ["out", "multi"], level: "info" } }
});

module.exports = log4js.getLogger();
