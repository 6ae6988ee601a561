// Preloaded into every server the SIGTERM harness starts: prints a line when a response has been
// handed to the OS, on the server's own clock, so the test can order the database disconnect after
// the last response without comparing two processes' timestamps. Nothing else changes.
'use strict';
const http = require('node:http');

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function recordResponses(event, request, response) {
  if (event === 'request') response.once('finish', () => process.stdout.write(`response:finish ${Date.now()}\n`));
  return emit.apply(this, arguments);
};
