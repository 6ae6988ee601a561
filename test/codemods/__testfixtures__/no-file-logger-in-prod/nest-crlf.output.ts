import { Module } from '@nestjs/common';
import { WinstonModule } from 'nest-winston';
import * as winston from 'winston';

const isDev = process.env.NODE_ENV === 'development';

@Module({
  imports: [
    WinstonModule.forRoot({
      transports: [new winston.transports.Console({ stderrLevels: ['error'] })],
    }),
  ],
})
export class AppModule {}

winston.add(new winston.transports.Console({ stderrLevels: ['error'] }));
