import { prisma } from '../lib/prisma';
import { audit, sendWelcomeEmail } from '../lib/mail';

export async function signUp(email: string, name: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return existing;
  const user = await prisma.user.create({ data: { email, name } });
  console.log('created', user.id);
  // Only for a new account.
  await sendWelcomeEmail(user);
  await audit('user.created', user.id); // the audit trail
  return user;
}
