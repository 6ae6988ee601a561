import { Router } from 'express';
import { prisma } from '../prisma';

export const invitations = Router();

invitations.post('/accept', async (req, res) => {
  const { email, inviterId } = req.body;
  const existing = await prisma.user.findUnique({ where: { email } });
  const inviter = await prisma.user.findUnique({ where: { id: inviterId } });
  if (!inviter) return res.status(404).json({ message: 'Inviter not found' });
  if (existing) return res.json(existing);

  const user = await prisma.user.create({ data: { email, name: req.body.name } }).catch(async (error: { code?: string }) => {
    // Another request or instance created it first (P2002): read the row it created.
    if (error?.code !== 'P2002') throw error;
    return prisma.user.findUniqueOrThrow({ where: { email } });
  });
  return res.status(201).json(user);
});
