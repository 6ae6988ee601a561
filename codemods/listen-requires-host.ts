import { deployFileParser } from '../src/configs/deploy-files';
import rule from '../src/rules/listen-requires-host';
import { MIGHT_START_SERVER } from '../src/server/server-listen';
import { applyRuleFixes } from './lib/apply-rule-fixes';
import { leaveUndecodableFilesAlone } from './lib/transform';

/**
 * Makes every server's host explicit, exactly as `eslint --fix` with `deploy-safe/listen-requires-host`
 * does: `listen()` calls in code, and `vite preview` in package.json scripts and deploy files (given by
 * name, like `package.json Dockerfile`). Options: `--fallback-host=::` (default `0.0.0.0`),
 * `--allow-implicit-node-default=true`. Explicit loopback hosts may be deliberate: they are reported,
 * not rewritten.
 */
const mightMatch = (file: { path: string; source: string }): boolean =>
  deployFileParser(file.path) !== undefined ? /\b(?:vite|next)\b/.test(file.source) : MIGHT_START_SERVER.test(file.source);

const transform = applyRuleFixes('listen-requires-host', rule, mightMatch, (options) => [
  {
    ...(typeof options['fallback-host'] === 'string' ? { fallbackHost: options['fallback-host'] } : {}),
    ...(options['allow-implicit-node-default'] === true ? { allowImplicitNodeDefault: true } : {}),
  },
]);

export default leaveUndecodableFilesAlone(transform);
