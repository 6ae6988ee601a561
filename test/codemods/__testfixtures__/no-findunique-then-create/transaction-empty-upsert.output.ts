import { Prisma } from '@prisma/client';

export async function grant(tx: Prisma.TransactionClient, name: string) {
  const achievement = await tx.achievement.createMany({
    data: [{ name, description: name }],
    skipDuplicates: true,
  }).then(() => tx.achievement.findUniqueOrThrow({ where: { name }, select: { id: true } }));
  return achievement.id;
}
