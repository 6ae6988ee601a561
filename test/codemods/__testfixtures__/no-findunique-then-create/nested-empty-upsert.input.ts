export async function touchProfile(id: number, bio: string) {
  await prisma.user.update({ where: { id }, data: { profile: { upsert: { create: { bio }, update: {} } } } });
}
