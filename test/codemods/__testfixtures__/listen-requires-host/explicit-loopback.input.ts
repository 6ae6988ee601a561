import http from 'node:http';

// Only the sidecar talks to this server.
http.createServer(handler).listen(9000, '127.0.0.1');
