import type { Linter } from 'eslint';
import type { RuleOptions } from '../types/rule-options';

/** Rule settings by bare rule ID, each entry typed with the rule's options. */
type RuleSettings = {
  [Id in keyof RuleOptions as Id extends `deploy-safe/${infer Bare}` ? Bare : never]?: Linter.RuleEntry<RuleOptions[Id]>;
};

/**
 * Rule settings that `strict` adds on top of `recommended`: checks that are right for most services but
 * can flag a deliberate design, so they are opt-in.
 */
export const STRICT_RULE_SETTINGS: RuleSettings = {
  // A server module without any signal handler dies mid-request on every deploy, but the handler
  // may legitimately live in another module (a bootstrap file), which a per-file rule cannot see.
  'shutdown-must-close-server': ['error', { requireSignalHandler: true }],
};
