export async function register(email: string, name: string) {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } });
    if (existing) throw new ConflictException('Email already registered');
    const user = await tx.user.create({ data: { email, name } });
    return user;
  });
}
