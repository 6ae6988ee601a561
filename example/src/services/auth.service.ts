import { prisma } from '../config/database';

export async function findUserByEmail(email: string) {
  return prisma.user.findUnique({ where: { email } });
}
