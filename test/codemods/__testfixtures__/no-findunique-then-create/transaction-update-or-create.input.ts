export async function saveProfile(tx: Prisma.TransactionClient, email: string, name: string) {
  const existing = await tx.user.findUnique({ where: { email } });
  if (existing) {
    await tx.user.update({ where: { email }, data: { name } });
  } else {
    await tx.user.create({ data: { email, name } });
  }
}
