import { Prisma } from '@prisma/client';

export async function ensureAchievement(tx: Prisma.TransactionClient, name: string) {
  const found = await tx.achievement.findUnique({ where: { name } });
  if (found) return found;
  return tx.achievement.createMany({ data: [{ name, description: name }], skipDuplicates: true }).then(() => tx.achievement.findUniqueOrThrow({ where: { name } }));
}

export async function ensureTag(db: Prisma.TransactionClient, name: string) {
  const tag = await db.tag.findFirst({ where: { name } });
  return tag ?? db.tag.createMany({ data: [{ name }], skipDuplicates: true }).then(() => db.tag.findFirstOrThrow({ where: { name } }));
}
