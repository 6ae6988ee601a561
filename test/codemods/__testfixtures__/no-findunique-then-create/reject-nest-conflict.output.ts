import { ConflictException, Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';
import { CreateUserDto } from './dto/create-user.dto';

@Injectable()
export class UsersService {
  constructor(private readonly prisma: PrismaService) {}

  async create(dto: CreateUserDto) {
    const existing = await this.prisma.user.findUnique({ where: { email: dto.email } });
    if (!existing) {
      return this.prisma.user.create({ data: { email: dto.email, name: dto.name } }).catch((error: { code?: string }) => {
        // Another request or instance created it first (P2002): reject this one as an existing row is rejected.
        if (error?.code === 'P2002') throw new ConflictException(`User with email ${dto.email} already exists`);
        throw error;
      });
    }
    throw new ConflictException(`User with email ${dto.email} already exists`);
  }
}
