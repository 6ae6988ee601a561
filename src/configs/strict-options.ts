import type { Linter } from 'eslint';

/**
 * Rule settings that `strict` adds on top of `recommended`: checks that are right for most services but
 * can flag a deliberate design, so they are opt-in.
 */
export const STRICT_RULE_SETTINGS: Record<string, Linter.RuleEntry> = {
  // A server module without any signal handler dies mid-request on every deploy, but the handler
  // may legitimately live in another module (a bootstrap file), which a per-file rule cannot see.
  'shutdown-must-close-server': ['error', { requireSignalHandler: true }],
};
