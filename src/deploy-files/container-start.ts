/**
 * What a container runs as PID 1, read from a Dockerfile's `CMD`/`ENTRYPOINT` and a compose service's
 * `command`/`entrypoint`, and whether SIGTERM reaches Node there. Measured in a PID namespace (npm 11,
 * Node 20, /bin/sh = dash 0.5.12 as in Debian-based node images): under `npm start` npm relays SIGTERM
 * to its script's shell, which dies, and npm exits within a second, killing node mid-request; under
 * `sh -c 'node …'` dash stays PID 1 (it does not exec the last command; bash does) and ignores SIGTERM
 * until the platform's SIGKILL. Node as PID 1 runs its handler. The other package managers differ by
 * version (measured the same way, test/deploy-files/MEASUREMENTS.md): yarn 1 exits at once; pnpm 9 and
 * 10 pass SIGTERM on but exit without waiting for node; pnpm 11 and 12 and bun 1.1+ pass it on and
 * wait (not reported when the version is known); bun 1.0 ignores it. A container that runs a one-shot
 * task (a migration, a seed) and exits is not a server: nothing is in flight there.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import { nearestPackageDirectory } from '../core/project-root';
import { commandFileSites, commandSitesOf, entriesOf, type CommandSite } from './deploy-file-commands';
import { programIndex, programName, shellScriptArgument, splitCommandLine, type ShellCommand, type ShellWord } from './shell-command';
import { commandFileKind, commandLinesOf, type CommandLineSource } from './shell-lines';

/** Dockerfiles and compose files name their start command; start scripts name what they run: the rule's and the codemod's cheap bail-out. */
export const MIGHT_START_NODE = /CMD|ENTRYPOINT|command|entrypoint|\b(?:node|npm|pnpm|yarn|bun|npx|tsx)\b/i;

export type SignalProblemId = 'packageManager' | 'shellForm' | 'shellWithoutExec';

interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface SignalProblem {
  messageId: SignalProblemId;
  start: number;
  end: number;
  /** `behaviour`: what the package manager measurably does with SIGTERM as PID 1 (packageManager only). */
  data: { where: string; command: string; remedy: string; behaviour?: string };
  /** Absent when the safe command cannot be written from what the files say (the remedy says why). */
  edit?: TextEdit;
}

/** Package managers whose `run`/`start` keeps them as the parent of the app. */
const PACKAGE_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
/** Init processes that forward signals to their child and reap zombies (what `docker run --init` adds). */
const INIT_WRAPPERS = new Set(['tini', 'dumb-init', 'catatonit', 'docker-init']);
/** Programs that are Node (or start it) when a shell runs them. */
const NODE_PROGRAMS = new Set(['node', 'npm', 'pnpm', 'yarn', 'bun', 'npx', 'pnpx', 'bunx', 'tsx', 'ts-node', 'next', 'nest', 'nuxt', 'nuxi', 'remix-serve', 'react-router-serve', 'nodemon', 'vite', 'serve', 'astro']);
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

const baseName = (word: ShellWord | undefined): string => (word?.value ?? '').replace(/^.*\//, '');

/** The index of the program once `env`, `VAR=value` and `exec` are skipped. */
function programAt(words: readonly ShellWord[]): number {
  let index = 0;
  while (index < words.length && (ENV_ASSIGNMENT.test(words[index].value) || ['env', 'exec'].includes(baseName(words[index])))) index += 1;
  return index;
}

/**
 * Where `exec` goes in a command: after its leading variable assignments. `PORT=8080 exec node …` runs
 * node with PORT set; `exec PORT=8080 node …` looks for a program named `PORT=8080` (exit 127: measured
 * with dash, bash and busybox sh), though `sh -n` accepts it.
 */
function afterAssignments(command: ShellCommand): { at: number; assignments: string; rest: string } {
  let index = 0;
  while (index < command.words.length - 1 && ENV_ASSIGNMENT.test(command.words[index].value)) index += 1;
  return {
    at: index === 0 ? command.start : command.words[index].start,
    assignments: command.words.slice(0, index).map((word) => `${word.value} `).join(''),
    rest: text(command.words.slice(index)),
  };
}

/** The command as it reads with `exec` in its place. */
function withExec(command: ShellCommand): string {
  const { assignments, rest } = afterAssignments(command);
  return `${assignments}exec ${rest}`;
}

function isPackageManagerRun(words: readonly ShellWord[]): boolean {
  const index = programAt(words);
  const program = baseName(words[index]);
  if (!PACKAGE_MANAGERS.has(program)) return false;
  // `bun server.js` is the Bun runtime itself; `bun run x` / `bun start` go through its script runner.
  if (program === 'bun') return ['run', 'start'].includes(words[index + 1]?.value ?? '');
  return true;
}

const startsWithInit = (words: readonly ShellWord[]): boolean => INIT_WRAPPERS.has(baseName(words[programAt(words)]));
const text = (words: readonly ShellWord[]): string => words.map((word) => word.value).join(' ');

/**
 * The script a package-manager command runs and the arguments it passes on: `npm start` → `start`,
 * `yarn build:prod`, `pnpm run serve`, `npm start -- --port 3000` → `start` + `--port 3000`. Undefined
 * for anything else, and for options before the script name (`--prefix dir`: another package.json).
 */
function scriptCallOf(words: readonly string[]): { name: string; extra: string[] } | undefined {
  const index = programAt(words.map((value) => ({ value, positions: [], start: 0, end: 0 })));
  const program = words[index]?.replace(/^.*\//, '');
  let args = words.slice(index + 1);
  if (program === 'npm' && !['run', 'run-script', 'start'].includes(args[0] ?? '')) return undefined;
  if (args[0] === 'run' || args[0] === 'run-script') args = args.slice(1);
  const [name, ...rest] = args;
  if (!name || name.startsWith('-')) return undefined;
  return { name, extra: rest[0] === '--' ? rest.slice(1) : rest };
}

/**
 * The directory whose package.json the commands of `file` run with: for a Dockerfile, the one its final
 * stage has in the working directory it starts in (`COPY server/package*.json ./`, `COPY server/ .`,
 * through `COPY --from=` another stage and `FROM` an earlier one: that folder of the build context, the
 * Dockerfile's own), else the one beside `file`, or its nearest. `source`: the file's text, when it is
 * being linted (else it is read).
 */
function packageDirectoryOf(file: string, source?: string): string | undefined {
  return (commandFileKind(file) === 'dockerfile' && copiedPackageDirectory(file, source)) || nearestPackageDirectory(file);
}

type DockerfileInstruction = ReturnType<ReturnType<typeof import('dockerfile-ast').DockerfileParser.parse>['getInstructions']>[number];

/** A Dockerfile's instructions, read with dockerfile-ast (loaded on first use, as shell-lines does). */
function dockerfileInstructions(text: string): DockerfileInstruction[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DockerfileParser } = require('dockerfile-ast') as typeof import('dockerfile-ast');
  return DockerfileParser.parse(text).getInstructions();
}

/** `FROM [--platform=…] image [AS name]`: the image (or earlier stage) and the stage's name, lower case. */
function stageStart(instruction: DockerfileInstruction): { image: string; name?: string } {
  const [image = '', as, name] = (instruction.getArgumentsContent() ?? '').replace(/^(?:--\S+\s+)*/, '').split(/\s+/);
  return { image, name: as?.toLowerCase() === 'as' ? name?.toLowerCase() : undefined };
}

/** A Dockerfile stage as far as the package.json goes: where its files are, and which folder of the build context gave the one there. */
interface PackageStage {
  name?: string;
  workdir: string;
  /** Each copy of a package.json (or a folder holding one) into the stage: where it went, and from which folder. */
  copies: Array<{ destination: string; manifest: boolean; from: string }>;
}

/** The folder of the build context whose package.json is in `stage`'s working directory, if a copy put one there. */
function stagePackageDirectory(stage: PackageStage): string | undefined {
  const copy = stage.copies.findLast((item) => item.destination === stage.workdir || (item.manifest && item.destination === posix.join(stage.workdir, 'package.json')));
  return copy?.from;
}

function copiedPackageDirectory(dockerfile: string, source: string | undefined): string | undefined {
  let text: string;
  try {
    text = source ?? readFileSync(dockerfile, 'utf8');
  } catch {
    return undefined;
  }
  const context = dirname(dockerfile);
  const stages: PackageStage[] = [];
  for (const instruction of dockerfileInstructions(text)) {
    const keyword = instruction.getKeyword();
    const stage = stages.at(-1);
    if (keyword === 'FROM') {
      const { image, name } = stageStart(instruction);
      // `FROM base` of an earlier stage starts with that stage's files and working directory.
      const parent = stages.find((item) => item.name !== undefined && item.name === image.toLowerCase());
      stages.push({ name, workdir: parent?.workdir ?? '/', copies: [...(parent?.copies ?? [])] });
    } else if (!stage) {
      continue;
    } else if (keyword === 'WORKDIR') {
      stage.workdir = posix.resolve(stage.workdir, instruction.getArgumentsContent()?.trim() || '.');
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const json = (instruction as { getJSONStrings?: () => { getJSONValue(): string }[] }).getJSONStrings?.() ?? [];
      const words = json.length > 0 ? json.map((item) => item.getJSONValue()) : instruction.getArguments().map((argument) => argument.getValue());
      if (words.length < 2) continue;
      const destination = posix.resolve(stage.workdir, words.at(-1)!);
      const fromStage = (instruction as { getFromFlag?: () => { getValue(): string } | null }).getFromFlag?.()?.getValue().toLowerCase();
      for (const path of words.slice(0, -1)) {
        const manifest = /^package(?:\*|\.json|\*\.json)$/.test(posix.basename(path));
        if (fromStage !== undefined) {
          // `COPY --from=build /app ./`: what that stage's working directory held.
          const other = stages.find((item) => item.name === fromStage);
          const folder = other && posix.resolve('/', manifest ? posix.dirname(path) : path) === other.workdir ? stagePackageDirectory(other) : undefined;
          if (folder !== undefined) stage.copies.push({ destination, manifest, from: folder });
          continue;
        }
        const folder = join(context, manifest ? posix.dirname(path) : path);
        if (existsSync(join(folder, 'package.json'))) stage.copies.push({ destination, manifest, from: folder });
      }
    }
  }
  // The working directory the container starts in is the last one the final stage sets.
  const final = stages.at(-1);
  return final && stagePackageDirectory(final);
}

/** The scripts of the package.json `file`'s commands run with (see packageDirectoryOf), if it can be read. */
function scriptBodies(file: string): Record<string, string> | undefined {
  const directory = packageDirectoryOf(file);
  if (!directory) return undefined;
  try {
    return (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  } catch {
    return undefined;
  }
}

/**
 * The argv a package-manager command ends up running, from the package.json `file` runs with: one `node …`
 * command with no shell syntax, so that it can be written in exec form. Otherwise the reason it cannot.
 */
function resolvePackageCommand(words: readonly ShellWord[], file: string, source?: string): { argv: string[] } | { reason: string } {
  const directory = packageDirectoryOf(file, source);
  // `server/package.json` when the image runs with another folder's than the one beside the file.
  const manifest = directory === undefined ? 'package.json' : relative(dirname(file), join(directory, 'package.json')).split('\\').join('/');
  let scripts: Record<string, string> = {};
  try {
    if (directory) scripts = (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  } catch {
    return { reason: `${manifest.startsWith('..') ? 'the package.json above it' : manifest} does not parse` };
  }
  if (!directory) return { reason: 'no package.json was found beside it to read the script from' };
  let current = words.map((word) => word.value);
  for (let depth = 0; depth < 4; depth += 1) {
    const call = scriptCallOf(current);
    if (!call) return { reason: `\`${current.join(' ')}\` does not name a script this rule can read` };
    const { name, extra } = call;
    const program = current[programAt(current.map((value) => ({ value, positions: [], start: 0, end: 0 })))].replace(/^.*\//, '');
    const body = scripts[name];
    // npm's default start script.
    if (body === undefined && name === 'start' && program === 'npm' && existsSync(join(directory, 'server.js'))) return { argv: ['node', 'server.js', ...extra] };
    if (body === undefined) return { reason: `${manifest.startsWith('..') ? 'package.json' : manifest} has no "${name}" script` };
    if (program !== 'bun' && (scripts[`pre${name}`] !== undefined || scripts[`post${name}`] !== undefined)) {
      return { reason: `"pre${name}"/"post${name}" run around the "${name}" script: move what they do to the image build or the platform's release step first` };
    }
    const commands = splitCommandLine(body);
    if (commands.length !== 1 || /[$`*?~(){}<>|&;]/.test(body)) return { reason: `the "${name}" script runs \`${body}\`, shell syntax that exec form cannot hold` };
    const argv = commands[0].words.map((word) => word.value);
    if (argv.some((word) => ENV_ASSIGNMENT.test(word)) || argv[0] === 'env' || argv[0] === 'cross-env') {
      return { reason: `the "${name}" script sets environment variables (\`${body}\`): set them with \`ENV\` and run the rest in exec form` };
    }
    // The package manager appends the arguments after the script name to the script's command.
    if (argv[0] === 'node') return { argv: [...argv, ...extra] };
    if (PACKAGE_MANAGERS.has(argv[0])) {
      current = [...argv, ...extra];
      continue;
    }
    return { reason: `the "${name}" script runs \`${body}\`, not \`node\`: write the \`node …\` command it starts` };
  }
  return { reason: 'the scripts call each other too deep to follow' };
}

/** A Dockerfile's start commands: the last `CMD` and `ENTRYPOINT` of its final stage. */
function dockerfileStarts(source: string, lines: readonly CommandLineSource[]): { cmd?: CommandLineSource; entrypoint?: CommandLineSource } {
  const lastFrom = [...source.matchAll(/^[ \t]*FROM[ \t]/gim)].at(-1)?.index ?? 0;
  const startOf = (line: CommandLineSource): number => line.argv?.[0]?.start ?? line.offset ?? 0;
  const inFinalStage = lines.filter((line) => startOf(line) >= lastFrom);
  return {
    cmd: inFinalStage.filter((line) => line.where === 'Dockerfile CMD').at(-1),
    entrypoint: inFinalStage.filter((line) => line.where === 'Dockerfile ENTRYPOINT').at(-1),
  };
}

const quoteArgv = (argv: readonly string[]): string => `[${argv.map((word) => JSON.stringify(word)).join(', ')}]`;

interface StartCheckContext {
  filename: string;
  source: string;
  /** The file is a Dockerfile (its text can pin the package manager's version). */
  isDockerfile?: boolean;
}

/**
 * Whether the image's `/bin/sh` is busybox ash (Alpine, busybox images), which replaces itself with the
 * last command of a `-c` string: `sh -c "prisma migrate deploy && node server.js"` leaves node as PID 1
 * (measured with busybox 1.35: the same pid). Debian's dash does not, nor does busybox running a script file.
 */
function execsLastCommand(context: StartCheckContext): boolean {
  if (!context.isDockerfile) return false;
  const from = [...context.source.matchAll(/^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*(\S+)/gim)].at(-1)?.[1] ?? '';
  return BUSYBOX_IMAGE.test(from);
}

/** Whether nothing follows `last` in the `-c` script (no `)`, `fi`, `done` or `}` it sits inside). */
function endsScript(last: ShellCommand, script: ShellWord): boolean {
  const after = script.positions.findIndex((position) => position >= last.end);
  return after === -1 || /^\s*$/.test(script.value.slice(after));
}

/** `exec` before the last command of a shell script, unless it is already there. */
function lastCommandWithoutExec(commands: readonly ShellCommand[]): ShellCommand | undefined {
  const last = commands.at(-1);
  if (!last || last.words.find((word) => !ENV_ASSIGNMENT.test(word.value))?.value === 'exec') return undefined;
  // `node a & wait`, a backgrounded last command or a trap: the script handles signals itself.
  if (last.after === '&' || commands.some((command) => command.words[0]?.value === 'trap')) return undefined;
  return last;
}

function runsNode(command: ShellCommand): boolean {
  return NODE_PROGRAMS.has(baseName(command.words[programAt(command.words)]));
}

/** A package manager's version as the project writes it: a Dockerfile pin, `FROM oven/bun:TAG`, or package.json `packageManager`. */
interface ManagerVersion {
  major: number;
  minor?: number;
}

function parseVersion(text: string | undefined): ManagerVersion | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?/.exec(text ?? '');
  return match ? { major: Number(match[1]), minor: match[2] === undefined ? undefined : Number(match[2]) } : undefined;
}

/** The `packageManager` field of the nearest package.json above `file` that has one (corepack runs that version). */
function packageManagerField(file: string): { name: string; version?: ManagerVersion } | undefined {
  let directory = dirname(file);
  for (let depth = 0; depth < 8; depth += 1) {
    try {
      const value = (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { packageManager?: unknown }).packageManager;
      if (typeof value === 'string') {
        const [name, version] = value.split('@');
        return { name, version: parseVersion(version) };
      }
    } catch {
      // no package.json here, or not JSON: go up
    }
    if (dirname(directory) === directory) return undefined;
    directory = dirname(directory);
  }
  return undefined;
}

/** The version of `manager` the container runs, when the Dockerfile or package.json says it. */
function managerVersion(manager: string, context: StartCheckContext): ManagerVersion | undefined {
  const dockerfile = context.isDockerfile ? context.source : '';
  if (manager === 'bun') {
    // `FROM oven/bun:1` floats to the newest 1.x; no tag is `latest`.
    const from = [...dockerfile.matchAll(/^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*(?:docker\.io\/)?oven\/bun(?::(\S+))?/gim)].at(-1);
    if (from) return from[1] === undefined || /^(?:latest|canary|slim|alpine|debian|distroless)/.test(from[1]) ? { major: Number.POSITIVE_INFINITY } : parseVersion(from[1]);
  }
  // `npm i -g pnpm@10`, `corepack prepare pnpm@9.15.0 --activate`, `bun@1.2`.
  const pinned = [...dockerfile.matchAll(new RegExp(`(?:^|[\\s"'])${manager}@v?(\\d+(?:\\.\\d+)?)`, 'g'))].at(-1);
  if (pinned) return parseVersion(pinned[1]);
  // `npm i -g pnpm` with no version installs whatever is newest when the image is built: the project's
  // packageManager field says nothing about it.
  if (new RegExp(`\\bnpm\\s+(?:i|install|add)\\b[^\\n&;|]*\\s-g\\b[^\\n&;|]*\\s${manager}(?=\\s|$|["'])|\\bnpm\\s+(?:i|install|add)\\s+(?:-g|--global)\\s+${manager}(?=\\s|$|["'])`, 'm').test(dockerfile)) return undefined;
  const field = packageManagerField(context.filename);
  return field?.name === manager ? field.version : undefined;
}

const atLeast = (version: ManagerVersion, major: number, minor = 0): boolean => version.major > major || (version.major === major && (version.minor ?? Number.POSITIVE_INFINITY) >= minor);
const SAFE_REGARDLESS = 'With node itself as the main process its handler runs whatever the version.';

/**
 * What the package manager does with SIGTERM as PID 1, measured in a PID namespace (request in flight,
 * test/deploy-files/MEASUREMENTS.md), or undefined where it measurably passes SIGTERM on and waits for
 * node: then there is nothing to report.
 */
function managerBehaviour(manager: string, context: StartCheckContext): string | undefined {
  const version = managerVersion(manager, context);
  const cut = 'so requests in flight fail and connections are not closed.';
  switch (manager) {
    case 'npm':
      return `npm becomes the container's main process and gets the platform's SIGTERM, but Node's shutdown handler never runs: npm stops its script's shell and exits within a second (measured, npm 11), killing node mid-request, ${cut}`;
    case 'yarn':
      // Node images ship yarn 1; corepack runs the `packageManager` version.
      if (!version || version.major <= 1) {
        return `yarn becomes the container's main process and gets the platform's SIGTERM, but Node's shutdown handler never runs: yarn 1 (the one node images ship) exits at once (measured, 1.22: in 0.02 s), killing node mid-request, ${cut}`;
      }
      return `yarn ${version.major} becomes the container's main process and gets the platform's SIGTERM; what yarn 2 and later do with it was not measured (yarn 1 exits at once and node is killed mid-request). ${SAFE_REGARDLESS}`;
    case 'pnpm':
      if (version && atLeast(version, 11)) return undefined;
      if (version) {
        return `pnpm ${version.major} becomes the container's main process and gets the platform's SIGTERM: it passes it on to node but exits within 0.1 s without waiting for it (measured, pnpm 9.15 and 10.34), and the container stops with its main process, killing node mid-request, ${cut}`;
      }
      return `pnpm becomes the container's main process and gets the platform's SIGTERM: pnpm 9 and 10 pass it on but exit within 0.1 s without waiting for node, killing it mid-request; pnpm 11 and 12 wait for node (measured), and nothing pins the version this container runs (no \`pnpm@\` version where pnpm is installed, no \`packageManager\` field that applies). ${SAFE_REGARDLESS}`;
    case 'bun':
      if (version && atLeast(version, 1, 1)) return undefined;
      if (version) {
        return `bun ${version.major}.${version.minor ?? 0} becomes the container's main process and gets the platform's SIGTERM, but neither passes it on nor exits (measured, bun 1.0.36): Node's shutdown handler never runs and the platform kills the container at its deadline with requests in flight.`;
      }
      return `bun becomes the container's main process and gets the platform's SIGTERM: bun 1.0 neither passes it on nor exits (the platform kills the container at its deadline); bun 1.1 and later pass it on and wait for node (measured, 1.1.45, 1.2.23, 1.4.5), and nothing in the project says which bun this container runs (no \`oven/bun:\` tag, no \`bun@\` version). ${SAFE_REGARDLESS}`;
    default:
      return undefined;
  }
}

/** Where a shell (dash) runs the package manager without `exec`: the shell is PID 1 and ignores SIGTERM. */
const SHELL_RUNS_MANAGER = "the shell that runs it without `exec` stays the container's main process and ignores SIGTERM (dash, as in Debian-based node images), so nothing reaches the package manager or node: Node's shutdown handler never runs and the platform kills the container at its deadline with requests in flight.";

/** Programs that run a task and exit: migrations, seeds (`prisma studio`, `drizzle-kit studio` are servers). */
const ONE_SHOT_PROGRAMS = new Set(['prisma', 'drizzle-kit', 'knex', 'sequelize', 'sequelize-cli', 'typeorm', 'node-pg-migrate', 'db-migrate', 'migrate-mongo', 'umzug', 'graphile-migrate']);
const ONE_SHOT_NAME = /migrat|seed/i;

/**
 * A command that runs a migration, a seed or another one-shot task and exits: `prisma migrate deploy`
 * (through `npx`, `pnpm exec`…), `npm run db:migrate`, `node scripts/seed.js`. Its container serves
 * nothing, so no request is in flight when SIGTERM comes.
 */
function isOneShotTask(words: readonly ShellWord[], file: string, depth = 0): boolean {
  const index = programIndex(words);
  if (index < 0) return false;
  const program = programName(words[index]);
  const args = words.slice(index + 1).map((word) => word.value);
  if (ONE_SHOT_PROGRAMS.has(program)) return !args.includes('studio');
  const call = scriptCallOf(words.map((word) => word.value));
  if (call && PACKAGE_MANAGERS.has(baseName(words[programAt(words)]))) {
    // The script's last command decides (`start:migrate` = `prisma migrate deploy && node server.js` is a server);
    // a script this rule cannot read counts by its name (`db:seed`), unless that names a start.
    const body = scriptBodies(file)?.[call.name];
    if (body === undefined) return ONE_SHOT_NAME.test(call.name) && !/start|serve/i.test(call.name);
    const last = splitCommandLine(body).at(-1);
    return depth < 4 && last !== undefined && isOneShotTask(last.words, file, depth + 1);
  }
  if (program === 'node' || program === 'tsx' || program === 'ts-node' || program === 'bun') {
    const file = args.find((arg) => !arg.startsWith('-'));
    return file !== undefined && ONE_SHOT_NAME.test(basename(file));
  }
  return false;
}

/** An exec-form argv, or a shell command line, whose PID 1 keeps SIGTERM from Node. */
function checkArgv(
  argv: readonly ShellWord[],
  where: string,
  context: StartCheckContext,
  form: 'dockerfile' | 'compose-list' | 'compose-string',
  site?: CommandSite,
  image?: ServiceImage,
): SignalProblem | undefined {
  if (argv.length === 0 || startsWithInit(argv) || isOneShotTask(argv, context.filename)) return undefined;
  const start = argv[0].start;
  const end = argv.at(-1)!.end;
  if (isPackageManagerRun(argv)) {
    const behaviour = managerBehaviour(baseName(argv[programAt(argv)]), context);
    if (!behaviour) return undefined;
    const resolved = resolvePackageCommand(argv, context.filename, context.source);
    const command = text(argv);
    if ('reason' in resolved) {
      return { messageId: 'packageManager', start, end, data: { where, command, behaviour, remedy: `Run \`node\` directly in exec form (${resolved.reason}).` } };
    }
    const edit = execFormEdit(resolved.argv, argv, form, context.source, site);
    const written = form === 'dockerfile' ? `${where.replace(/^Dockerfile /, '')} ${quoteArgv(resolved.argv)}` : `\`${form === 'compose-string' ? resolved.argv.join(' ') : quoteArgv(resolved.argv)}\``;
    return { messageId: 'packageManager', start, end, data: { where, command, behaviour, remedy: `Run what the script runs, in exec form: ${written}.` }, edit };
  }
  // `["sh", "-c", "… && node server.js"]`: the shell is PID 1 unless it execs the last command.
  const script = shellScriptArgument({ words: [...argv], start, end });
  if (script) {
    const inner = splitCommandLine(script.value, script.start, script.positions);
    const last = lastCommandWithoutExec(inner);
    if (!last || !runsNode(last) || isOneShotTask(last.words, context.filename)) return undefined;
    if (isPackageManagerRun(last.words)) {
      return { messageId: 'packageManager', start: last.start, end: last.end, data: { where, command: text(last.words), behaviour: SHELL_RUNS_MANAGER, remedy: 'Start node itself, with `exec node …` as the last command.' } };
    }
    if ((form === 'dockerfile' ? execsLastCommand(context) : image?.busyboxShell) && endsScript(last, script)) return undefined;
    return {
      messageId: 'shellWithoutExec',
      start: last.start,
      end: last.end,
      data: { where, command: text(last.words), remedy: `Write \`${withExec(last)}\`.` },
      edit: { start: afterAssignments(last).at, end: afterAssignments(last).at, text: 'exec ' },
    };
  }
  return undefined;
}

function execFormEdit(argv: readonly string[], original: readonly ShellWord[], form: 'dockerfile' | 'compose-list' | 'compose-string', source: string, site?: CommandSite): TextEdit | undefined {
  const start = original[0].start;
  const end = original.at(-1)!.end;
  if (form === 'dockerfile') return { start, end, text: argv.map((word) => JSON.stringify(word)).join(', ') };
  if (form === 'compose-list') {
    // A block sequence (one `- item` per line) is not rewritten: its layout is the user's.
    if (/\n/.test(source.slice(start, end))) return undefined;
    return { start, end, text: argv.map((word) => JSON.stringify(word)).join(', ') };
  }
  if (!site) return undefined;
  const [valueStart, valueEnd] = site.range;
  const quoted = source[valueStart] === '"' || source[valueStart] === "'";
  const line = argv.join(' ');
  return { start: valueStart, end: valueEnd, text: quoted ? JSON.stringify(line) : line };
}

/** Dockerfile `CMD`/`ENTRYPOINT` (final stage): package managers, shell form, `sh -c` without `exec`. */
function dockerfileProblems(context: StartCheckContext, lines: readonly CommandLineSource[]): SignalProblem[] {
  const { cmd, entrypoint } = dockerfileStarts(context.source, lines);
  // An init process (`ENTRYPOINT ["tini", "--"]`) forwards SIGTERM to whatever CMD runs.
  if (entrypoint?.argv && startsWithInit(entrypoint.argv)) return [];
  const problems: SignalProblem[] = [];
  for (const line of [entrypoint, cmd]) {
    if (!line) continue;
    // With an exec-form ENTRYPOINT (not an init), CMD is its arguments: `docker-entrypoint.sh` execs them.
    if (line === cmd && entrypoint && !entrypoint.argv) continue;
    const where = line.where;
    if (line.argv) {
      const problem = checkArgv(line.argv, where, context, 'dockerfile');
      if (problem) problems.push(problem);
      continue;
    }
    const problem = shellFormProblem(line, context);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** `CMD node dist/server.js`: Docker runs it as `/bin/sh -c "…"`, and dash stays PID 1. */
function shellFormProblem(line: CommandLineSource, context: StartCheckContext): SignalProblem | undefined {
  const commands = splitCommandLine(line.text ?? '', line.offset ?? 0);
  const last = lastCommandWithoutExec(commands);
  if (!last || startsWithInit(commands[0]?.words ?? []) || !runsNode(last) || isOneShotTask(last.words, context.filename)) return undefined;
  const where = line.where;
  const instruction = where.replace(/^Dockerfile /, '');
  const lineStart = line.offset ?? 0;
  const lineEnd = lineStart + (line.text ?? '').trimEnd().length;
  if (isPackageManagerRun(last.words)) {
    const resolved = resolvePackageCommand(last.words, context.filename, context.source);
    const command = text(last.words);
    // A shell form runs it under `/bin/sh -c`, and dash stays PID 1 (measured): the package manager's version does not matter.
    const behaviour = SHELL_RUNS_MANAGER;
    if ('reason' in resolved) {
      return { messageId: 'packageManager', start: last.start, end: last.end, data: { where, command, behaviour, remedy: `Run \`node\` directly in exec form (${resolved.reason}).` } };
    }
    const edit: TextEdit =
      commands.length === 1 && programAt(last.words) === 0
        ? { start: lineStart, end: lineEnd, text: quoteArgv(resolved.argv) }
        : { start: afterAssignments(last).at, end: last.end, text: `exec ${resolved.argv.join(' ')}` };
    const written = commands.length === 1 ? `${instruction} ${quoteArgv(resolved.argv)}` : `\`${afterAssignments(last).assignments}exec ${resolved.argv.join(' ')}\` as the last command`;
    return { messageId: 'packageManager', start: last.start, end: last.end, data: { where, command, behaviour, remedy: `Run what the script runs: ${written}.` }, edit };
  }
  if (execsLastCommand(context) && /^\s*$/.test(context.source.slice(last.end, lineEnd))) return undefined;
  const words = last.words.map((word) => word.value);
  // One plain command: exec form. Variables, globs or several commands need the shell: `exec` the last.
  const plain = commands.length === 1 && programAt(last.words) === 0 && !/[$`*?~\\'"]/.test(context.source.slice(last.start, last.end));
  const edit: TextEdit = plain ? { start: lineStart, end: lineEnd, text: quoteArgv(words) } : { start: afterAssignments(last).at, end: afterAssignments(last).at, text: 'exec ' };
  const remedy = plain ? `Use exec form: \`${instruction} ${quoteArgv(words)}\`.` : `Write \`${withExec(last)}\`, so that node replaces the shell as PID 1.`;
  return { messageId: 'shellForm', start: last.start, end: last.end, data: { where, command: words.join(' '), remedy }, edit };
}

interface ServiceImage {
  /** The image's ENTRYPOINT (its stage's, or the nearest parent stage's) starts an init (tini, dumb-init). */
  initEntrypoint: boolean;
  /** The image is Alpine- or busybox-based: its `/bin/sh` execs the last command of `-c` (see execsLastCommand). */
  busyboxShell: boolean;
}

const BUSYBOX_IMAGE = /(?:^|[/:-])(?:alpine|busybox)/i;

/**
 * What a compose service runs: its `image`, or the Dockerfile stage it builds (`build`, `build.context`,
 * `build.dockerfile`, `build.target`), read with dockerfile-ast for that service only. Undefined when
 * neither can be read.
 */
function serviceImage(composeFile: string, entries: ReturnType<typeof entriesOf>, service: string): ServiceImage | undefined {
  const value = (...key: string[]): string | undefined => {
    const entry = entries.find((item) => item.path.length === key.length + 2 && item.path[0] === 'services' && item.path[1] === service && key.every((part, index) => item.path[index + 2] === part));
    return entry?.value.kind === 'string' ? entry.value.node.value : undefined;
  };
  const image = value('image');
  const buildContext = value('build') ?? value('build', 'context');
  if (buildContext === undefined) return image === undefined ? undefined : { initEntrypoint: false, busyboxShell: BUSYBOX_IMAGE.test(image) };
  let text: string;
  try {
    text = readFileSync(join(dirname(composeFile), buildContext, value('build', 'dockerfile') ?? 'Dockerfile'), 'utf8');
  } catch {
    return undefined;
  }
  const stages: { name?: string; from: string; entrypoint?: string }[] = [];
  for (const instruction of dockerfileInstructions(text)) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArgumentsContent() ?? '';
    if (keyword === 'FROM') {
      const { image, name } = stageStart(instruction);
      stages.push({ from: image, name });
    } else if (keyword === 'ENTRYPOINT' && stages.length > 0) {
      stages[stages.length - 1].entrypoint = args;
    }
  }
  const target = value('build', 'target')?.toLowerCase();
  let stage = target === undefined ? stages.at(-1) : stages.find((item) => item.name === target);
  let entrypoint: string | undefined;
  for (let depth = 0; stage && depth < stages.length; depth += 1) {
    entrypoint ??= stage.entrypoint;
    const parent = stages.find((item) => item.name !== undefined && item.name === stage!.from.toLowerCase());
    if (!parent) break;
    stage = parent;
  }
  if (!stage) return undefined;
  let program: string | undefined;
  try {
    program = entrypoint?.trim().startsWith('[') ? (JSON.parse(entrypoint) as string[])[0] : entrypoint?.trim().split(/\s+/)[0];
  } catch {
    program = undefined;
  }
  return { initEntrypoint: program !== undefined && INIT_WRAPPERS.has(program.replace(/^.*\//, '')), busyboxShell: BUSYBOX_IMAGE.test(stage.from) };
}

/** A compose file's `services.<name>.command` / `entrypoint`, without `init: true`. */
function composeProblems(context: StartCheckContext, program: unknown, sites: readonly CommandSite[]): SignalProblem[] {
  const entries = entriesOf(program as never);
  const withInit = new Set(
    entries
      .filter((entry) => entry.path.length === 3 && entry.path[0] === 'services' && entry.path[2] === 'init' && /:\s*true\b/.test(context.source.slice(entry.range[0], entry.range[1])))
      .map((entry) => entry.path[1]),
  );
  const initEntrypoint = new Set(
    sites.filter((site) => site.path[2] === 'entrypoint' && site.commands[0] && startsWithInit(site.commands[0].words)).map((site) => site.path[1]),
  );
  const problems: SignalProblem[] = [];
  for (const site of sites) {
    if (site.path.length !== 3 || site.path[0] !== 'services' || !['command', 'entrypoint'].includes(site.path[2])) continue;
    if (withInit.has(site.path[1]) || initEntrypoint.has(site.path[1])) continue;
    // `migrate:`, `db-seed:`, `hoppscotch-migrate:`: a one-shot service that runs a task and exits.
    if (/(?:^|[-_.])(?:migrat\w*|seed\w*)(?:$|[-_.])/i.test(site.path[1])) continue;
    const image = serviceImage(context.filename, entries, site.path[1]);
    // `command` replaces only the image's CMD: an init ENTRYPOINT of the image still runs first.
    if (site.path[2] === 'command' && !sites.some((other) => other.path[1] === site.path[1] && other.path[2] === 'entrypoint') && image?.initEntrypoint) continue;
    // Compose splits a string command into words itself (no shell): the first command is the argv.
    const first = site.commands.find((command) => !command.parent);
    if (!first) continue;
    const form = first.argv ? 'compose-list' : 'compose-string';
    const problem = checkArgv(first.words, site.where, context, form, site, image);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * The Dockerfile instruction that starts `script` (a `.sh` file): a final-stage `CMD`/`ENTRYPOINT` of a
 * Dockerfile (`Dockerfile`, `Dockerfile.prod`, `api.dockerfile`…) in the script's directory or above
 * it, up to its project's, that names the script.
 */
function startingInstruction(script: string): string | undefined {
  const name = basename(script);
  const top = nearestPackageDirectory(script) ?? dirname(script);
  for (let directory = dirname(script); ; directory = dirname(directory)) {
    let names: string[];
    try {
      names = readdirSync(directory).filter((entry) => commandFileKind(entry) === 'dockerfile');
    } catch {
      names = [];
    }
    for (const dockerfile of names) {
      const path = join(directory, dockerfile);
      let source: string;
      try {
        source = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      const { cmd, entrypoint } = dockerfileStarts(source, commandLinesOf(source, path));
      for (const line of [entrypoint, cmd]) {
        const words = line?.argv?.map((word) => word.value) ?? splitCommandLine(line?.text ?? '').flatMap((command) => command.words.map((word) => word.value));
        if (words.some((word) => basename(word) === name)) return `the ${line!.where.replace(/^Dockerfile /, '')} of ${dockerfile}`;
      }
    }
    if (directory === top || dirname(directory) === directory) return undefined;
  }
}

/** A container start script whose last command leaves the shell as PID 1. */
function startScriptProblems(context: StartCheckContext, line: CommandLineSource): SignalProblem[] {
  if (!/\b(?:node|npm|pnpm|yarn|bun|npx|tsx)\b/.test(context.source)) return [];
  const commands = splitCommandLine(line.text ?? '', line.offset ?? 0);
  const last = lastCommandWithoutExec(commands);
  if (!last || !runsNode(last) || startsWithInit(last.words) || isOneShotTask(last.words, context.filename)) return [];
  const instruction = startingInstruction(context.filename);
  if (!instruction) return [];
  const where = `${basename(context.filename)} (${instruction})`;
  const command = text(last.words);
  if (isPackageManagerRun(last.words)) {
    const resolved = resolvePackageCommand(last.words, context.filename, context.source);
    if ('reason' in resolved) {
      return [{ messageId: 'packageManager', start: last.start, end: last.end, data: { where, command, behaviour: SHELL_RUNS_MANAGER, remedy: `End the script with \`exec node …\` (${resolved.reason}).` } }];
    }
    const replacement = `exec ${resolved.argv.join(' ')}`;
    const { at, assignments } = afterAssignments(last);
    return [{ messageId: 'packageManager', start: last.start, end: last.end, data: { where, command, behaviour: SHELL_RUNS_MANAGER, remedy: `End the script with what the script runs: \`${assignments}${replacement}\`.` }, edit: { start: at, end: last.end, text: replacement } }];
  }
  const { at } = afterAssignments(last);
  return [{ messageId: 'shellWithoutExec', start: last.start, end: last.end, data: { where, command, remedy: `Write \`${withExec(last)}\`.` }, edit: { start: at, end: at, text: 'exec ' } }];
}

const isComposeFile = (filename: string): boolean => /^(?:docker-)?compose(?:[.-].*)?\.ya?ml$/.test(basename(filename));

/** Every start command of a Dockerfile or compose file that keeps SIGTERM from Node. */
export function findSignalProblems(filename: string, source: string, program: unknown, services: unknown): SignalProblem[] {
  const lines = (services as { deploySafeCommandLines?: CommandLineSource[] } | undefined)?.deploySafeCommandLines;
  const context: StartCheckContext = { filename, source, isDockerfile: lines?.some((line) => line.where.startsWith('Dockerfile ')) ?? false };
  if (lines) {
    // `Dockerfile.dev`, `docker-compose.local.yml`, `scripts/test-db.sh`: not what a platform runs.
    if (commandFileSites(lines, filename).some((site) => !site.deployTime)) return [];
    if (lines.length === 1 && lines[0].script) return startScriptProblems(context, lines[0]);
    return lines.some((line) => line.where.startsWith('Dockerfile ')) ? dockerfileProblems(context, lines) : [];
  }
  if (!isComposeFile(filename)) return [];
  const sites = commandSitesOf(filename, source, program, services);
  return sites.some((site) => !site.deployTime) ? [] : composeProblems(context, program, sites);
}
