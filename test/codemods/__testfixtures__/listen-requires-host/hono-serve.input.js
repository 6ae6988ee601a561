import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('ok'));

const port = parseInt(process.env.PORT || '3000', 10);

serve({ fetch: app.fetch, port });
