import { Prisma } from '@prisma/client';

export async function ensureAchievement(tx: Prisma.TransactionClient, name: string) {
  const found = await tx.achievement.findUnique({ where: { name } });
  if (found) return found;
  return tx.achievement.create({ data: { name, description: name } });
}

export async function ensureTag(db: Prisma.TransactionClient, name: string) {
  const tag = await db.tag.findFirst({ where: { name } });
  return tag ?? db.tag.create({ data: { name } });
}
