export async function rate(userId: number, storeId: number, rating: number) {
  const existing = await prisma.ratings.findUnique({
    where: { user_id_store_id: { user_id: userId, store_id: storeId } },
  });
  if (existing) {
    // Changing one's rating.
    return prisma.ratings.update({
      where: { user_id_store_id: { user_id: userId, store_id: storeId } },
      data: { rating },
    });
  }
  return prisma.ratings.create({ data: { user_id: userId, store_id: storeId, rating } });
}
