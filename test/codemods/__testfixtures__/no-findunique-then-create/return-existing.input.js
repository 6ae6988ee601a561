async function ensureUser(email) {
  const existing = await this.prisma.user.findUnique({ where: { email } });
  if (existing) return existing;
  return this.prisma.user.create({ data: { email }, select: { id: true } });
}
