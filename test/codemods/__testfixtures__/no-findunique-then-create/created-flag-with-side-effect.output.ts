import type { Request, Response } from 'express';
import { prisma } from '../lib/prisma';
import { sendWelcomeEmail } from '../lib/mail';

export async function signUp(req: Request, res: Response) {
  const { email } = req.body as { email: string };
  let account = await prisma.user.findUnique({ where: { email } });
  if (!account) {
    let created = true;
    account = await prisma.user.create({ data: { email } }).catch(async (error: { code?: string }) => {
      // Another request or instance created it first (P2002): read the row it created, and skip what only its creator does and answer that this call did not create it.
      if (error?.code !== 'P2002') throw error;
      created = false;
      return prisma.user.findUniqueOrThrow({ where: { email } });
    });
    if (created) await sendWelcomeEmail(account);
    res.status(201).json({ account, isNew: created });
    return;
  }
  res.json({ account, isNew: false });
}
