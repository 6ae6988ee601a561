export async function findOrCreate(email: string) {
  let user = await prisma.user.findUnique({ where: { email } });
  let isNew = false;
  if (!user) {
    user = await prisma.user.create({ data: { email } });
    isNew = true;
  }
  if (isNew) await sendWelcomeEmail(user);
  return user;
}
