const prisma = require('../utils/prisma');

const submitRating = async (req, res) => {
  try {
    const { storeId, rating } = req.body;
    const userId = req.user.userId;

    const existingRating = await prisma.ratings.findUnique({
      where: {
        user_id_store_id: {
          user_id: userId,
          store_id: storeId
        }
      }
    });

    let result;

    if (existingRating) {
      result = await prisma.ratings.update({
        where: {
          user_id_store_id: {
            user_id: userId,
            store_id: storeId
          }
        },
        data: { rating }
      });

      res.json({ message: 'Rating updated successfully', rating: result });
    } else {
      result = await prisma.ratings.create({
        data: {
          user_id: userId,
          store_id: storeId,
          rating
        }
      }).catch(async (error) => {
        // Another request or instance created it first (P2002): run this request's update on the row it created.
        if (error?.code !== 'P2002') throw error;
        return prisma.ratings.update({
          where: {
            user_id_store_id: {
              user_id: userId,
              store_id: storeId
            }
          },
          data: { rating }
        });
      });

      res.status(201).json({ message: 'Rating submitted successfully', rating: result });
    }
  } catch (error) {
    console.error('Submit rating error:', error);
    res.status(500).json({ message: 'Internal server error' });
  }
};

module.exports = { submitRating };
