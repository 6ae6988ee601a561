export function ensureAchievement(name: string) {
  return prisma.achievement.upsert({
    where: { name },
    update: {},
    create: { name, description: name },
  });
}
