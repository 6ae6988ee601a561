export async function register(email: string, name: string) {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } });
    if (existing) throw new ConflictException('Email already registered');
    const user = await tx.user.create({ data: { email, name } }).catch((error: { code?: string }) => {
      // Another request or instance created it first (P2002): reject this one as an existing row is rejected.
      if (error?.code === 'P2002') throw new ConflictException('Email already registered');
      throw error;
    });
    return user;
  });
}
