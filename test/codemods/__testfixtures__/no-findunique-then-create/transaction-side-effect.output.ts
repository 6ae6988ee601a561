export async function ensureUser(tx: Prisma.TransactionClient, email: string) {
  const existing = await tx.user.findUnique({ where: { email } });
  if (existing) return existing;
  let created = true;
  const user = await tx.user.createMany({ data: [{ email, name: 'created' }], skipDuplicates: true }).then((result: { count: number }) => {
    // 0 when another request or instance created it first: skip what only its creator does.
    created = result.count === 1;
    return tx.user.findUniqueOrThrow({ where: { email } });
  });
  if (created) {
    await tx.auditLog.create({
      data: { action: 'user.created', userId: user.id },
    });
  }
  return user;
}
