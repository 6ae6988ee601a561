export function ensureAchievement(name: string) {
  return prisma.achievement.findUnique({ where: { name } }).then((found) => found ?? prisma.achievement.create({
    data: { name, description: name },
  }).catch(async (error: { code?: string }) => {
    // Another request or instance created it first (P2002): read the row it created.
    if (error?.code !== 'P2002') throw error;
    return prisma.achievement.findUniqueOrThrow({ where: { name } });
  }));
}
