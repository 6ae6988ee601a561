import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

@Injectable()
export class RaceService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly logger: Logger,
  ) {}

  async registerOne(userId: string, umamusumeId: number, race: RaceInput) {
    const raceId = race.race_id;
    const raceName = race.race_name || `ID:${raceId}`;

    // 既存チェック
    const existing = await this.prisma.registUmamusumeRaceTable.findFirst({
      where: { user_id: userId, umamusume_id: umamusumeId, race_id: raceId },
      select: { id: true },
    });

    if (existing) {
      this.logger.debug({ userId, umamusumeId, raceId, raceName }, '出走登録スキップ: 既に出走済み');
      return { message: `${raceName}は既に出走済みです。` };
    }

    await this.prisma.registUmamusumeRaceTable.create({
      data: { user_id: userId, umamusume_id: umamusumeId, race_id: raceId },
    });

    this.logger.info({ userId, umamusumeId, raceId, raceName }, '出走登録完了');
    return { message: `${raceName}を出走登録しました。` };
  }
}
