import type { Linter } from 'eslint';

/**
 * Rule settings that `strict` adds on top of `recommended`: checks that are right for most services but
 * can flag a deliberate design, so they are opt-in.
 */
export const STRICT_RULE_SETTINGS: Record<string, Linter.RuleEntry> = {};
