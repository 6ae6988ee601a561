import { createServer } from 'node:http';

const server = createServer((_req, res) => res.end('ok'));
const port = Number(process.env.PORT) || 8080;
const host = process.env.HOST;
server.listen(port, host, () => console.log('ready'));
