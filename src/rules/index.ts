import listenRequiresHost from './listen-requires-host';
import noMultiplePrismaClients from './no-multiple-prisma-clients';
import shutdownMustCloseServer from './shutdown-must-close-server';

export const rules = {
  'listen-requires-host': listenRequiresHost,
  'no-multiple-prisma-clients': noMultiplePrismaClients,
  'shutdown-must-close-server': shutdownMustCloseServer,
};

export type RuleName = keyof typeof rules;
