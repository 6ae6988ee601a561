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
        new transports.File({ filename: 'logs/error.log', level: 'error' }),
        new transports.File({ filename: 'logs/app.log' }),
        ...(isDev ? [new transports.Console({ format: format.combine(format.colorize(), format.simple()) })] : []),
      ],
    }),
  ],
})
export class AppModule {}
