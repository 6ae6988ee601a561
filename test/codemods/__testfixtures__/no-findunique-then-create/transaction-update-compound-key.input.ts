export async function rate(tx: Prisma.TransactionClient, userId: number, storeId: number, rating: number) {
  const existing = await tx.ratings.findUnique({ where: { user_id_store_id: { user_id: userId, store_id: storeId } } });
  if (existing) {
    return tx.ratings.update({ where: { user_id_store_id: { user_id: userId, store_id: storeId } }, data: { rating } });
  }
  return tx.ratings.create({ data: { user_id: userId, store_id: storeId, rating } });
}
