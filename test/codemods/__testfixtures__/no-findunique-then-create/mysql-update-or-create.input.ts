export async function saveProfile(email: string, name: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) {
    await prisma.user.update({ where: { email }, data: { name } });
  } else {
    await prisma.user.create({ data: { email, name } });
  }
}
