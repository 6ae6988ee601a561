import { PrismaPg } from '@prisma/adapter-pg';

export const adapter = new PrismaPg({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 5_000,
});
