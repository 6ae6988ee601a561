import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api');
  await app.listen(process.env.PORT ?? 3000);

  let shuttingDown = false;

  async function shutdown(signal: string): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    // Exit on our own if something hangs, before the platform's SIGKILL: Fly sends SIGINT and kills 5 s
    // later, Docker sends SIGTERM and kills 10 s later (Kubernetes, Heroku, Render: 30 s).
    const deadlineMs = signal === 'SIGINT' ? 4000 : 8000;
    setTimeout(() => {
      console.error(`${signal}: shutdown took longer than ${deadlineMs} ms, exiting`);
      process.exit(1);
    }, deadlineMs).unref();
    try {
      // Stop accepting connections and let in-flight requests finish (idle keep-alive sockets are closed
      // as they turn idle); only then run Nest's shutdown hooks (onModuleDestroy, onApplicationShutdown),
      // which app.close() would otherwise run while requests are still being served.
      const httpServer = app.getHttpServer();
      const closeIdleConnections = setInterval(() => httpServer.closeIdleConnections(), 100);
      await new Promise<void>((resolve, reject) => httpServer.close((error?: Error) => (error ? reject(error) : resolve())));
      clearInterval(closeIdleConnections);
      await app.close();
      process.exit(0);
    } catch (error) {
      console.error(`${signal}: shutdown failed`, error);
      process.exit(1);
    }
  }

  // Docker, Kubernetes, Railway, Render and Heroku send SIGTERM; Fly sends SIGINT.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
void bootstrap();
