export async function saveProfile(email: string, name: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) {
    await prisma.user.update({ where: { email }, data: { name } });
  } else {
    await prisma.user.create({ data: { email, name } }).catch(async (error: { code?: string }) => {
      // Another request or instance created it first (P2002): run this request's update on the row it created.
      if (error?.code !== 'P2002') throw error;
      return prisma.user.update({ where: { email }, data: { name } });
    });
  }
}
