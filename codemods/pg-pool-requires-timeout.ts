import rule from '../src/rules/pg-pool-requires-timeout';
import { applyRuleFixes } from './lib/apply-rule-fixes';
import { leaveUndecodableFilesAlone } from './lib/transform';

/**
 * Bounds the wait for a connection on every Prisma 7 `PrismaPg` adapter and `pg` pool the rule reports,
 * exactly as `eslint --fix` with `deploy-safe/pg-pool-requires-timeout` does: `connectionTimeoutMillis`
 * is added to the options object. Option: `--connection-timeout-millis=5000` (default 10000). An explicit
 * `connectionTimeoutMillis: 0` was written on purpose: reported, not rewritten.
 */
const transform = applyRuleFixes('pg-pool-requires-timeout', rule, /PrismaPg|Pool/, (options) => {
  const timeout = options['connection-timeout-millis'];
  // A value that is not a number goes through as given, so the schema's error names it.
  return [timeout === undefined ? {} : { connectionTimeoutMillis: Number.isFinite(Number(timeout)) ? Number(timeout) : timeout }];
});

export default leaveUndecodableFilesAlone(transform);
