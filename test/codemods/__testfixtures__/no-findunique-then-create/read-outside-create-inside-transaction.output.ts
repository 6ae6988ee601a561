// An OAuth callback: the user is read through the client, created through the transaction.
export async function oauthCallback(email: string, providerAccountId: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return existing;
  return prisma.$transaction(async (tx) => {
    let created = true;
    const user = await tx.user.createMany({ data: [{ email }], skipDuplicates: true }).then((result: { count: number }) => {
      // 0 when another request or instance created it first: skip what only its creator does.
      created = result.count === 1;
      return tx.user.findUniqueOrThrow({ where: { email } });
    });
    if (created) await tx.account.create({ data: { providerAccountId, userId: user.id } });
    return user;
  });
}
