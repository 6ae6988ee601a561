import { Prisma } from '@prisma/client';

export async function grant(tx: Prisma.TransactionClient, name: string) {
  const achievement = await tx.achievement.upsert({
    where: { name },
    update: {},
    create: { name, description: name },
    select: { id: true },
  });
  return achievement.id;
}
