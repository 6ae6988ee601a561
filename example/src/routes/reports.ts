import { Router, type Request, type Response } from 'express';

export const reportsRouter = Router();

/** Builds a report; takes about a second, long enough to be cut by a deploy. */
reportsRouter.get('/export', async (_req: Request, res: Response) => {
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.EXPORT_DELAY_MS ?? 1000)));
  res.json({ status: 'ready' });
});
