export async function findOrCreateUser(email: string, name: string) {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } });
    let user = existing;
    if (!user) user = await tx.user.createMany({ data: [{ email, name }], skipDuplicates: true }).then(() => tx.user.findUniqueOrThrow({ where: { email } }));
    // the profile hangs off the user either way
    return user;
  });
}
