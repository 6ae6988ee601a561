import rule from '../src/rules/listen-requires-host';
import { applyRuleFixes } from './lib/apply-rule-fixes';
import { leaveUndecodableFilesAlone } from './lib/transform';

/**
 * Makes every server's host explicit, exactly as `eslint --fix` with `deploy-safe/listen-requires-host`
 * does. Options: `--fallback-host=::` (default `0.0.0.0`), `--allow-implicit-node-default=true`.
 * Explicit loopback hosts may be deliberate: they are reported, not rewritten.
 */
const transform = applyRuleFixes('listen-requires-host', rule, /\.listen\s*\(|hapi/i, (options) => [
  {
    ...(typeof options['fallback-host'] === 'string' ? { fallbackHost: options['fallback-host'] } : {}),
    ...(options['allow-implicit-node-default'] === true ? { allowImplicitNodeDefault: true } : {}),
  },
]);

export default leaveUndecodableFilesAlone(transform);
