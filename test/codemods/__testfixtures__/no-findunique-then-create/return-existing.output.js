async function ensureUser(email) {
  const existing = await this.prisma.user.findUnique({ where: { email } });
  if (existing) return existing;
  return this.prisma.user.create({ data: { email }, select: { id: true } }).catch(async (error) => {
    // Another request or instance created it first (P2002): read the row it created.
    if (error?.code !== 'P2002') throw error;
    return this.prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  });
}
