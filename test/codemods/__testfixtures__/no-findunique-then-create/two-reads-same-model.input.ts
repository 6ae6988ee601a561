import { Router } from 'express';
import { prisma } from '../prisma';

export const invitations = Router();

invitations.post('/accept', async (req, res) => {
  const { email, inviterId } = req.body;
  const existing = await prisma.user.findUnique({ where: { email } });
  const inviter = await prisma.user.findUnique({ where: { id: inviterId } });
  if (!inviter) return res.status(404).json({ message: 'Inviter not found' });
  if (existing) return res.json(existing);

  const user = await prisma.user.create({ data: { email, name: req.body.name } });
  return res.status(201).json(user);
});
