export async function signUp(email: string) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return { user: existing };
  const user = await prisma.user.create({ data: { email } });
  const token = await issueToken(user);
  return { user, token };
}
