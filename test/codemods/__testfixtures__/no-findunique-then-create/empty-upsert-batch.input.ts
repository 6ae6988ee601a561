export async function tagAll(names: string[]) {
  await prisma.$transaction(names.map((name) => prisma.tag.upsert({ where: { name }, update: {}, create: { name } })));
}
