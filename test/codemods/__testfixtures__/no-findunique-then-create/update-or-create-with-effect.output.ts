export async function saveProfile(email: string, name: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) {
    return prisma.user.update({ where: { email }, data: { name } });
  }
  let created = true;
  const user = await prisma.user.create({ data: { email, name } }).catch(async (error: { code?: string }) => {
    // Another request or instance created it first (P2002): run this request's update on the row it created, and skip what only its creator does.
    if (error?.code !== 'P2002') throw error;
    created = false;
    return prisma.user.update({ where: { email }, data: { name } });
  });
  if (created) await sendWelcomeEmail(user);
  return user;
}
