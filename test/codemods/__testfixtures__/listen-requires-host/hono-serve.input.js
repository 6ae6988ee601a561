import { serve } from '@hono/node-server';
import { handle } from 'hono-react-router-adapter/node';

const handler = handle(build, server, { getLoadContext });

const port = parseInt(process.env.PORT || '3000', 10);

serve({ fetch: handler.fetch, port });
