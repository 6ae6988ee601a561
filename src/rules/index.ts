import listenRequiresHost from './listen-requires-host';
import noDbPushScript from './no-db-push-script';
import noFileLoggerInProd from './no-file-logger-in-prod';
import noFinduniqueThenCreate from './no-findunique-then-create';
import noMultiplePrismaClients from './no-multiple-prisma-clients';
import shutdownMustCloseServer from './shutdown-must-close-server';

export const rules = {
  'listen-requires-host': listenRequiresHost,
  'no-db-push-script': noDbPushScript,
  'no-file-logger-in-prod': noFileLoggerInProd,
  'no-findunique-then-create': noFinduniqueThenCreate,
  'no-multiple-prisma-clients': noMultiplePrismaClients,
  'shutdown-must-close-server': shutdownMustCloseServer,
};
