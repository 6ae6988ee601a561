import { prisma } from '../lib/prisma';

// The caller tells a new account from a returning one by `created`.
export async function findOrCreateUser(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return { user: existing, created: false };
  const user = await prisma.user.create({ data: { email } });
  return { user, created: true };
}
