import { prisma } from '../lib/prisma';

// `created: true` inside another object describes that object, not whether this call created the row.
export async function ensureUser(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return { user: existing, audit: { created: false } };
  const user = await prisma.user.create({ data: { email } });
  return { user, audit: { created: true } };
}
