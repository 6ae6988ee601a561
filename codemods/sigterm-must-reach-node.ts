import { deployFileParser } from '../src/configs/deploy-files';
import rule from '../src/rules/sigterm-must-reach-node';
import { MIGHT_START_NODE } from '../src/deploy-files/container-start';
import { applyRuleFixes } from './lib/apply-rule-fixes';
import { leaveUndecodableFilesAlone } from './lib/transform';

/**
 * Makes Node the container's main process, exactly as `eslint --fix` with
 * `deploy-safe/sigterm-must-reach-node` does, in Dockerfiles, compose files and the start scripts a
 * Dockerfile runs (given by name, like `Dockerfile docker-compose.yml`): `CMD ["npm", "start"]` becomes
 * the exec-form command the script runs, read from the package.json beside the file
 * (`CMD ["node", "dist/server.js"]`); a shell-form `CMD node …` becomes exec form; the last command of
 * `sh -c '…'` or of a start script gets `exec`. A script that cannot be written as one exec-form command
 * (several commands, a `prestart`, environment variables, something other than `node`) is reported with
 * the reason, not rewritten.
 */
const mightMatch = (file: { path: string; source: string }): boolean =>
  deployFileParser(file.path) !== undefined && MIGHT_START_NODE.test(file.source);

export default leaveUndecodableFilesAlone(applyRuleFixes('sigterm-must-reach-node', rule, mightMatch));
