import type { Request, Response } from 'express';
import { prisma } from '../lib/prisma';
import { sendWelcomeEmail } from '../lib/mail';

export async function signUp(req: Request, res: Response) {
  const { email } = req.body as { email: string };
  let account = await prisma.user.findUnique({ where: { email } });
  if (!account) {
    account = await prisma.user.create({ data: { email } });
    await sendWelcomeEmail(account);
    res.status(201).json({ account, isNew: true });
    return;
  }
  res.json({ account, isNew: false });
}
