import { ConflictException, Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';
import { CreateUserDto } from './dto/create-user.dto';

@Injectable()
export class UsersService {
  constructor(private readonly prisma: PrismaService) {}

  async create(dto: CreateUserDto) {
    const existing = await this.prisma.user.findUnique({ where: { email: dto.email } });
    if (!existing) {
      return this.prisma.user.create({ data: { email: dto.email, name: dto.name } });
    }
    throw new ConflictException(`User with email ${dto.email} already exists`);
  }
}
