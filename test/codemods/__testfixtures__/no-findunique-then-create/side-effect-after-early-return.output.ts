import { prisma } from '../lib/prisma';
import { audit, sendWelcomeEmail } from '../lib/mail';

export async function signUp(email: string, name: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return existing;
  let created = true;
  const user = await prisma.user.create({ data: { email, name } }).catch(async (error: { code?: string }) => {
    // Another request or instance created it first (P2002): read the row it created, and skip what only its creator does.
    if (error?.code !== 'P2002') throw error;
    created = false;
    return prisma.user.findUniqueOrThrow({ where: { email } });
  });
  console.log('created', user.id);
  // Only for a new account.
  if (created) {
    await sendWelcomeEmail(user);
    await audit('user.created', user.id); // the audit trail
  }
  return user;
}
