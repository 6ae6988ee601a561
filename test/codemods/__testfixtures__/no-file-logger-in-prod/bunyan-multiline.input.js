const bunyan = require("bunyan");
const path = require("path");

const logDir = path.join(__dirname, "logs");

module.exports = bunyan.createLogger({
  name: "worker",
  streams: [
    {
      level: "debug",
      path: path.join(logDir, "worker.log")
    },
    {
      type: "rotating-file",
      level: "info",
      path: path.join(logDir, "worker-rotating.log"),
      period: "1d",
      count: 7
    }
  ]
});
