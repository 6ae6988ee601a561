export async function ensurePost(title: string) {
  const post = await prisma.post.findFirst({ where: { title } });
  if (!post) await prisma.post.create({ data: { title } });
}
