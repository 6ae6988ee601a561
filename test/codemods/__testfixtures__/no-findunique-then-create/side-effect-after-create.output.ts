import { prisma } from '../lib/prisma';
import { sendWelcomeEmail } from '../lib/mail';

export async function findOrCreateUser(email: string, name: string) {
  let user = await prisma.user.findUnique({ where: { email } });
  if (!user) {
    let created = true;
    user = await prisma.user.create({ data: { email, name } }).catch(async (error: { code?: string }) => {
      // Another request or instance created it first (P2002): read the row it created, and skip what only its creator does.
      if (error?.code !== 'P2002') throw error;
      created = false;
      return prisma.user.findUniqueOrThrow({ where: { email } });
    });
    if (created) await sendWelcomeEmail(user);
  }
  return user;
}
