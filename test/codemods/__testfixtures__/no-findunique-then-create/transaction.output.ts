await prisma.$transaction(async (tx) => {
  const found = await tx.achievement.findUnique({ where: { name } });
  if (!found) await tx.achievement.createMany({ data: [{ name, description: name }], skipDuplicates: true });
});
