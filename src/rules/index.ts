import listenRequiresHost from './listen-requires-host';

export const rules = {
  'listen-requires-host': listenRequiresHost,
};

export type RuleName = keyof typeof rules;
