import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

@Injectable()
export class RaceService {
  constructor(private readonly prisma: PrismaService) {}

  async entryFor(userId: string, umamusumeId: number, raceId: number) {
    const existing = await this.prisma.registUmamusumeRaceTable.findFirst({
      where: { user_id: userId, umamusume_id: umamusumeId, race_id: raceId },
    });
    if (existing) return existing;

    return this.prisma.registUmamusumeRaceTable.create({
      data: { user_id: userId, umamusume_id: umamusumeId, race_id: raceId },
    });
  }
}
