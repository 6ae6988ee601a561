const bunyan = require("bunyan");

module.exports = bunyan.createLogger({
  name: "worker",
  streams: [
    { level: "debug", stream: process.stdout }
  ]
});
