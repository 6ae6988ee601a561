// The upsert's own layout, select and the names around it are kept.
export async function ensureTag(name: string, found: boolean) {
  const tag = await prisma.tag.findUnique({ where: { name }, select: { id: true } }).then((existing) => existing ?? prisma.tag.create({ data: { name, hidden: found }, select: { id: true } }).catch(async (error: { code?: string }) => {
    // Another request or instance created it first (P2002): read the row it created.
    if (error?.code !== 'P2002') throw error;
    return prisma.tag.findUniqueOrThrow({ where: { name }, select: { id: true } });
  }));
  return tag.id;
}
