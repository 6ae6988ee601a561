import listenRequiresHost from './listen-requires-host';
import noDbPushScript from './no-db-push-script';
import noFileLoggerInProd from './no-file-logger-in-prod';
import noFinduniqueThenCreate from './no-findunique-then-create';
import noMultiplePrismaClients from './no-multiple-prisma-clients';
import pgPoolRequiresTimeout from './pg-pool-requires-timeout';
import shutdownMustCloseServer from './shutdown-must-close-server';
import sigtermMustReachNode from './sigterm-must-reach-node';

export const rules = {
  'listen-requires-host': listenRequiresHost,
  'no-db-push-script': noDbPushScript,
  'no-file-logger-in-prod': noFileLoggerInProd,
  'no-findunique-then-create': noFinduniqueThenCreate,
  'no-multiple-prisma-clients': noMultiplePrismaClients,
  'pg-pool-requires-timeout': pgPoolRequiresTimeout,
  'shutdown-must-close-server': shutdownMustCloseServer,
  'sigterm-must-reach-node': sigtermMustReachNode,
};
