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
  return prisma.ratings.create({ data: { user_id: userId, store_id: storeId, rating } }).catch(async (error: { code?: string }) => {
    // Another request or instance created it first (P2002): run this request's update on the row it created.
    if (error?.code !== 'P2002') throw error;
    return prisma.ratings.update({
      where: { user_id_store_id: { user_id: userId, store_id: storeId } },
      data: { rating },
    });
  });
}
