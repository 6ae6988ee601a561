import { expandCommands, programName, splitCommandLine, type ShellCommand } from './shell-command';

/**
 * package.json scripts that the platforms run on every install, build, deploy or start: npm runs
 * `pre<name>`/`post<name>` around them, Heroku runs `heroku-postbuild`, Vercel `vercel-build`, a
 * `start:prod`-style script is what a Procfile or start command calls, and a script named for a
 * platform (`railway`, `render:start`, `fly`) is the command written for it.
 */
const DEPLOY_LIFECYCLE =
  /^(?:(?:pre|post)?start(?::.+)?|(?:pre|post)?build|(?:pre|post)?install|prepare|heroku-(?:pre|post)build|vercel-build|(?:pre|post)?deploy.*|(?:pre|post)?release.*|(?:railway|render|fly)(?::.+)?)$/;

export function isDeployLifecycleScript(name: string): boolean {
  return DEPLOY_LIFECYCLE.test(name);
}

const NPM_COMMANDS_WITH_LIFECYCLE = new Set(['start', 'stop', 'restart', 'test']);
const RUNNER_VALUE_OPTIONS = /^(?:-w|--workspace|--prefix|-C|--dir|--filter|-F|--cwd)$/;

/** `build:*` / `build:**` (npm-run-all globs) to a matcher over script names. */
function scriptPattern(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.+' : part === '*' ? '[^:]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (name) => regex.test(name);
}

/**
 * The scripts one command runs: `npm run a`, `npm start`, `yarn a`, `yarn run a`, `pnpm a`, `pnpm run a`,
 * `bun run a`, `npm-run-all a b:*`, `run-s`, `run-p`. npm and pnpm also run `pre`/`post` scripts.
 */
export function scriptsRunBy(command: ShellCommand, scripts: ReadonlySet<string>): string[] {
  const words = command.words.map((word) => word.value);
  let index = 0;
  while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[index] ?? '') || words[index] === 'exec') index += 1;
  const program = programName(command.words[index]);
  const rest = words.slice(index + 1);
  const withoutOptions = (list: string[]): string[] => {
    const out: string[] = [];
    for (let k = 0; k < list.length; k += 1) {
      if (list[k] === '--') break;
      if (list[k].startsWith('-')) {
        if (RUNNER_VALUE_OPTIONS.test(list[k])) k += 1;
        continue;
      }
      out.push(list[k]);
    }
    return out;
  };
  const withPrePost = (name: string): string[] => [`pre${name}`, name, `post${name}`].filter((candidate) => scripts.has(candidate));
  if (program === 'npm-run-all' || program === 'run-s' || program === 'run-p' || program === 'npm-run-all2') {
    const patterns = withoutOptions(rest);
    return [...scripts].filter((name) => patterns.some((pattern) => scriptPattern(pattern)(name)));
  }
  const args = withoutOptions(rest);
  if (program === 'npm') {
    if ((args[0] === 'run' || args[0] === 'run-script' || args[0] === 'rum' || args[0] === 'urn') && args[1]) return withPrePost(args[1]);
    if (NPM_COMMANDS_WITH_LIFECYCLE.has(args[0] ?? '')) return withPrePost(args[0]);
    return [];
  }
  if (program === 'pnpm' || program === 'yarn' || program === 'bun') {
    const name = args[0] === 'run' ? args[1] : program === 'bun' ? undefined : args[0];
    if (!name || !scripts.has(name)) return [];
    // yarn 2+ and bun skip pre/post scripts; yarn 1 and pnpm (with enable-pre-post-scripts) run them.
    return program === 'bun' ? [name] : withPrePost(name);
  }
  return [];
}

export interface ReachedScript {
  name: string;
  /** The lifecycle script it is reached from (itself when it is one). */
  root: string;
}

/** Every script that runs on install, build, deploy or start, directly or through other scripts. */
export function deployTimeScripts(scripts: ReadonlyMap<string, string>): Map<string, ReachedScript> {
  const names = new Set(scripts.keys());
  const reached = new Map<string, ReachedScript>();
  const queue: ReachedScript[] = [...names].filter(isDeployLifecycleScript).map((name) => ({ name, root: name }));
  while (queue.length > 0) {
    const item = queue.shift()!;
    if (reached.has(item.name)) continue;
    reached.set(item.name, item);
    const body = scripts.get(item.name) ?? '';
    for (const command of expandCommands(splitCommandLine(body))) {
      for (const name of scriptsRunBy(command, names)) {
        if (!reached.has(name)) queue.push({ name, root: item.root });
      }
    }
  }
  return reached;
}
