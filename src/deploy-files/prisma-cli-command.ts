import { programIndex, programName, type ShellCommand, type ShellWord } from './shell-command';

export type PrismaSubcommand = 'db push' | 'migrate deploy' | 'migrate dev' | 'migrate reset' | 'other';

export interface PrismaInvocation {
  /** The `prisma` word (after `npx`, `pnpm exec`, env assignments…). */
  program: ShellWord;
  subcommand: PrismaSubcommand;
  /** Every option word after the program (`--accept-data-loss`, `--schema=…`, `--schema`). */
  flags: ShellWord[];
  /** Option words with their values, as they appear: `--schema prisma/x.prisma` is one entry of two words. */
  options: ShellWord[][];
}

/** Prisma CLI options that take a separate value (`--schema path`). */
const VALUE_OPTIONS = new Set(['--schema', '--config', '--url', '--name', '-n']);

/** The Prisma CLI call this command makes, if it makes one (through any package runner). */
export function prismaInvocation(command: ShellCommand): PrismaInvocation | undefined {
  const index = programIndex(command.words);
  if (index < 0 || programName(command.words[index]) !== 'prisma') return undefined;
  const program = command.words[index];
  const positional: string[] = [];
  const flags: ShellWord[] = [];
  const options: ShellWord[][] = [];
  const rest = command.words.slice(index + 1);
  for (let k = 0; k < rest.length; k += 1) {
    const word = rest[k];
    if (word.value.startsWith('-')) {
      flags.push(word);
      if (VALUE_OPTIONS.has(word.value) && rest[k + 1]) {
        options.push([word, rest[k + 1]]);
        k += 1;
      } else {
        options.push([word]);
      }
    } else {
      positional.push(word.value);
    }
  }
  const pair = positional.slice(0, 2).join(' ');
  const subcommand: PrismaSubcommand =
    pair === 'db push' || pair === 'migrate deploy' || pair === 'migrate dev' || pair === 'migrate reset' ? pair : 'other';
  return { program, subcommand, flags, options };
}

/** Flags that let Prisma throw data away to make the schema fit. */
export const DATA_LOSS_FLAGS = new Set(['--accept-data-loss', '--force-reset']);

/** Options worth keeping when `db push` becomes `migrate deploy`; the rest do not exist on `migrate deploy`. */
const KEPT_OPTIONS = new Set(['--schema', '--config']);

export function keptMigrateDeployOptions(invocation: PrismaInvocation): ShellWord[][] {
  return invocation.options.filter((option) => KEPT_OPTIONS.has(option[0].value.split('=')[0]));
}

/**
 * The command whose operator a failure of `commands[index]` reaches: itself, or, through `&&`, the
 * command that ends the compound or chain it fails (`(migrate && x) || true`, `migrate && x || true`:
 * `x`, whose `||` comes after the compound; `if …; then migrate; fi || true`: the migration itself, which
 * ends the `if`). Not through an operator inside the `&&`'s right operand (`migrate && (x || true)`).
 */
export function failureCarrier(commands: readonly ShellCommand[], index: number): number {
  let at = index;
  for (let guard = 0; guard < 32; guard += 1) {
    const command = commands[at];
    if (command.after !== '&&' || !command.afterTo) return at;
    const [from, to] = command.afterTo;
    // The right operand's last command; its operator applies to the failure only when it lies past the operand.
    let last = -1;
    for (let k = at + 1; k < commands.length; k += 1) {
      const other = commands[k];
      if (other.parent === command.parent && other.start >= from && other.end <= to) last = k;
    }
    if (last < 0) return at;
    const next = commands[last];
    if (next.after === undefined || next.afterFrom === undefined || next.afterFrom < to) return at;
    at = last;
  }
  return at;
}

/**
 * What comes after a migration when its failure is hidden: `|| true`, `|| :`, `|| exit 0`,
 * `|| echo failed`, or (outside shell scripts, which can `set -e`) `; node server.js` and `& …`; also
 * after the compound or `&&` chain it ends or fails (see `failureCarrier`). Returns the commands that hide
 * it, or undefined when a failure still stops the chain.
 */
export function failureHiders(commands: readonly ShellCommand[], index: number, checkSequence: boolean): ShellCommand[] | undefined {
  index = failureCarrier(commands, index);
  const command = commands[index];
  const operator = command.after;
  const range = command.afterTo;
  if (!operator || !range) return undefined;
  // What runs on the other side of the operator: `true` in `a || true`, `true | tee x`, `(echo x; exit 0)`.
  const following = commands.filter((other, k) => k > index && other.parent === command.parent && other.start >= range[0] && other.end <= range[1]);
  if (following.length === 0) return undefined;
  if (operator === '||') {
    const stops = following.some((next) => {
      const words = next.words.map((word) => word.value);
      return words[0] === 'false' || (words[0] === 'exit' && words[1] !== '0');
    });
    return stops ? undefined : following;
  }
  if (checkSequence && (operator === ';' || operator === '&')) return [following[0]];
  return undefined;
}
