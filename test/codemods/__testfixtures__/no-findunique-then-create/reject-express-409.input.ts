import { Router, type Request, type Response } from 'express';
import { prisma } from '../prisma';
import { hashPassword } from '../utils/password';

const router = Router();

router.post('/register', async (req: Request, res: Response) => {
  try {
    const { name, email, password } = req.body;

    if (!name || !email || !password) {
      res.status(400).json({ message: 'Dados incompletos (name, email e password são obrigatórios).' });
      return;
    }

    const existing = await prisma.user.findUnique({ where: { email } });
    if (existing) {
      res.status(409).json({ message: 'Email já está em uso.' });
      return;
    }

    const passwordHash = await hashPassword(password);
    const user = await prisma.user.create({
      data: {
        name,
        email,
        passwordHash,
        role: 'ADMIN',
      },
      include: {
        tenant: true,
      }
    });

    res.status(201).json({ id: user.id, name: user.name, email: user.email, role: user.role });
  } catch (error) {
    console.error('[AUTH_REGISTER_ERROR]', error);
    res.status(500).json({ message: 'Erro ao registar utilizador.' });
  }
});

export default router;
