export async function ensureUser(tx: Prisma.TransactionClient, email: string) {
  const existing = await tx.user.findUnique({ where: { email } });
  if (existing) return existing;
  const user = await tx.user.create({ data: { email, name: 'created' } });
  await tx.auditLog.create({
    data: { action: 'user.created', userId: user.id },
  });
  return user;
}
