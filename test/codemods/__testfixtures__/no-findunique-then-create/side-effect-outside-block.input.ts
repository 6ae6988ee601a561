export async function ensure(email: string, invite: boolean) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return existing;
  let user;
  if (invite) {
    user = await prisma.user.create({ data: { email, role: 'invited' } });
  } else {
    user = await prisma.user.create({ data: { email } });
  }
  await sendWelcomeEmail(user);
  return user;
}
