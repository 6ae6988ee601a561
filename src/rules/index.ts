import listenRequiresHost from './listen-requires-host';
import shutdownMustCloseServer from './shutdown-must-close-server';

export const rules = {
  'listen-requires-host': listenRequiresHost,
  'shutdown-must-close-server': shutdownMustCloseServer,
};

export type RuleName = keyof typeof rules;
