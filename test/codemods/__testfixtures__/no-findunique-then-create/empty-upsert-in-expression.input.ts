// The upsert's own layout, select and the names around it are kept.
export async function ensureTag(name: string, found: boolean) {
  const tag = await prisma.tag.upsert({ where: { name }, update: {}, create: { name, hidden: found }, select: { id: true } });
  return tag.id;
}
