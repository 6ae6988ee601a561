export async function saveProfile(email: string, name: string) {
  const user = await prisma.user.findUnique({ where: { email } });
  await prisma.user.upsert({
    where: { email },
    update: { name },
    create: { email, name },
  });
}
