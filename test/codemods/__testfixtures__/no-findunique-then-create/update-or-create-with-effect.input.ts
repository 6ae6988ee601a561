export async function saveProfile(email: string, name: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) {
    return prisma.user.update({ where: { email }, data: { name } });
  }
  const user = await prisma.user.create({ data: { email, name } });
  await sendWelcomeEmail(user);
  return user;
}
