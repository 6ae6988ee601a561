import { Module } from '@nestjs/common';
import { WinstonModule } from 'nest-winston';
import { format, transports } from 'winston';

const isDev = process.env.NODE_ENV !== 'production';

@Module({
  imports: [
    WinstonModule.forRoot({
      level: 'info',
      format: format.combine(format.timestamp(), format.json()),
      transports: [
        new transports.Console({
          format: isDev ? format.combine(format.colorize(), format.simple()) : format.json(),
          stderrLevels: ['error'],
        }),
      ],
    }),
  ],
})
export class AppModule {}
