import { prisma } from '../lib/prisma';

// The caller tells a new account from a returning one by `created`.
export async function findOrCreateUser(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return { user: existing, created: false };
  let createdHere = true;
  const user = await prisma.user.create({ data: { email } }).catch(async (error: { code?: string }) => {
    // Another request or instance created it first (P2002): read the row it created, and answer that this call did not create it.
    if (error?.code !== 'P2002') throw error;
    createdHere = false;
    return prisma.user.findUniqueOrThrow({ where: { email } });
  });
  return { user, created: createdHere };
}
