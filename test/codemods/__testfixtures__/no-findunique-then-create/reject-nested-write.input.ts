import { ConflictException, Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

@Injectable()
export class UsersService {
  constructor(private readonly prisma: PrismaService) {}

  async register(email: string, tags: string[]) {
    const existing = await this.prisma.user.findUnique({ where: { email } });
    if (existing) throw new ConflictException('email already registered');
    return this.prisma.user.create({
      data: {
        email,
        tags: { connectOrCreate: tags.map((name) => ({ where: { name }, create: { name } })) },
      },
    });
  }
}
