export async function saveProfile(email: string, name: string) {
  const user = await prisma.user.findUnique({ where: { email } });
  if (user) {
    await prisma.user.update({ where: { email }, data: { name } });
  } else {
    await prisma.user.create({ data: { email, name } });
  }
}
