import { Module } from '@nestjs/common';
import { WinstonModule } from 'nest-winston';
import * as winston from 'winston';

const isDev = process.env.NODE_ENV === 'development';

@Module({
  imports: [
    WinstonModule.forRoot({
      transports: [new winston.transports.File({ filename: 'logs/nest.log' })],
    }),
  ],
})
export class AppModule {}

if (isDev) {
  winston.add(new winston.transports.Console());
}
