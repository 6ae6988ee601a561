export async function invite(email: string) {
  let user = await prisma.user.findUnique({ where: { email } });
  if (!user) {
    user = await prisma.user.create({ data: { email } });
    await mailer.send(email, `Welcome!
Your account is ready.`);
  }
  return user;
}
