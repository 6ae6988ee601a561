// An OAuth callback: the user is read through the client, created through the transaction.
export async function oauthCallback(email: string, providerAccountId: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return existing;
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email } });
    await tx.account.create({ data: { providerAccountId, userId: user.id } });
    return user;
  });
}
