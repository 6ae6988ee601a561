import { prisma } from '../lib/prisma';
import { sendWelcomeEmail } from '../lib/mail';

export async function findOrCreateUser(email: string, name: string) {
  let user = await prisma.user.findUnique({ where: { email } });
  if (!user) {
    user = await prisma.user.create({ data: { email, name } });
    await sendWelcomeEmail(user);
  }
  return user;
}
