export async function saveProfile(tx: Prisma.TransactionClient, email: string, name: string) {
  const existing = await tx.user.findUnique({ where: { email } });
  await tx.user.upsert({
    where: { email },
    update: { name },
    create: { email, name },
  });
}
