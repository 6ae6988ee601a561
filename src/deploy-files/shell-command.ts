/**
 * Splits a POSIX shell command line into the simple commands it runs, the way `sh` would: quotes,
 * backslash escapes, line continuations, comments, and the `&&` / `||` / `;` / `|` / `&` / newline
 * operators between commands. Every word keeps the source offset of each of its characters, so a rule
 * can report at the exact column of a command even inside a JSON or YAML string.
 *
 * Not a full shell: `$(…)`, backticks and `case` stay inside words. What it must get right is that
 * `echo "prisma db push"` and `# prisma db push` are not commands, and that `a || true` is. A heredoc's
 * body is read as commands only when a shell runs it (`bash <<EOF`, Dockerfile `RUN <<EOF`); for any
 * other program (`cat <<EOF > start.sh`, `psql <<SQL`) it is data and is skipped.
 */

export interface ShellWord {
  /** The word as the shell sees it (quotes removed, escapes applied). */
  value: string;
  /** Source offset of each character of `value`. */
  positions: number[];
  /** Source offsets of the word's first character (its opening quote, if any) and one past its last. */
  start: number;
  end: number;
}

export type ShellOperator = '&&' | '||' | ';' | '|' | '&' | '\n';

export interface ShellCommand {
  words: ShellWord[];
  /** Source offsets from the first word's start to the last word's end. */
  start: number;
  end: number;
  /** The operator that joins this command to the one before it / after it, if any. */
  before?: ShellOperator;
  after?: ShellOperator;
  /** Set on commands found inside `sh -c '…'`: the outer command that runs them. */
  parent?: ShellCommand;
  /** An exec-form argv (`["npx", "prisma"]`): each word is its own JSON string in the source. */
  argv?: boolean;
}

const WHITESPACE = new Set([' ', '\t', '\r']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

export interface Heredoc {
  delimiter: string;
  /** `<<-`: leading tabs are stripped from the body and the closing line. */
  stripTabs: boolean;
}

interface PendingHeredoc extends Heredoc {
  /** The words of the command the heredoc feeds (still being filled when the heredoc is read). */
  owner: ShellWord[];
}

/** `<<EOF`, `<<-'EOF'`, `<< "END"` at `index`: the delimiter and where the operator ends. Not `<<<` (a here-string) or `$((a<<2))`. */
export function heredocAt(text: string, index: number): (Heredoc & { end: number }) | undefined {
  const match = /^<<(-?)[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(text.slice(index, index + 80));
  if (!match || text[index + 2] === '<') return undefined;
  return { delimiter: match[3], stripTabs: match[1] === '-', end: index + match[0].length };
}

/** Where the heredoc body starting at `start` ends, and where reading resumes (after its closing line). */
export function heredocBodyEnd(text: string, start: number, heredoc: Heredoc): { bodyEnd: number; resume: number } {
  let lineStart = start;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    let line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    if (heredoc.stripTabs) line = line.replace(/^\t+/, '');
    if (line === heredoc.delimiter) return { bodyEnd: lineStart, resume: lineEnd };
    lineStart = lineEnd + 1;
  }
  return { bodyEnd: text.length, resume: text.length };
}

/**
 * `positions[i]` is the source offset of `text[i]`; by default `text` starts at `offset`. `endOffset` is
 * the source offset just past the text (before a closing quote), exact where the last character was
 * written as an escape (`\"`), which `positions` alone cannot tell.
 */
export function splitCommandLine(text: string, offset = 0, positions?: readonly number[], endOffset?: number): ShellCommand[] {
  const at = (index: number): number => (positions ? (positions[index] ?? endOffset ?? (positions.at(-1) ?? offset) + 1) : offset + index);
  const commands: ShellCommand[] = [];
  let words: ShellWord[] = [];
  let word: ShellWord | undefined;
  let pendingBefore: ShellOperator | undefined;
  let heredocs: PendingHeredoc[] = [];

  const startWord = (index: number): ShellWord => (word ??= { value: '', positions: [], start: at(index), end: at(index) });
  const push = (char: string, index: number): void => {
    const current = startWord(index);
    current.value += char;
    current.positions.push(at(index));
  };
  const endWord = (end: number): void => {
    if (word) {
      word.end = end;
      words.push(word);
    }
    word = undefined;
  };
  const endCommand = (operator: ShellOperator | undefined, index: number): void => {
    endWord(at(index));
    if (words.length > 0) {
      const command: ShellCommand = { words, start: words[0].start, end: words[words.length - 1].end, before: pendingBefore, after: operator };
      commands.push(command);
      pendingBefore = operator;
    } else if (operator && operator !== '\n') {
      // `a;\n b`: keep the stronger operator for the next command.
      pendingBefore = operator;
    }
    words = [];
  };

  /** Reads the bodies of the heredocs opened on the line that just ended; returns where the next line starts. */
  const readHeredocBodies = (start: number): number => {
    let resume = start;
    for (const heredoc of heredocs) {
      const body = heredocBodyEnd(text, resume, heredoc);
      const owner = heredoc.owner;
      const program = programIndex(owner);
      const ownerIsShell =
        owner.length === 0 || (program >= 0 && SHELLS.has(programName(owner[program])) && owner.slice(program + 1).every((word) => word.value.startsWith('-')));
      if (ownerIsShell) {
        const bodyPositions = Array.from({ length: body.bodyEnd - resume }, (_, k) => at(resume + k));
        const parent = owner.length > 0 ? commands.find((command) => command.words === owner) : undefined;
        for (const inner of splitCommandLine(text.slice(resume, body.bodyEnd), at(resume), bodyPositions, at(body.bodyEnd))) {
          commands.push(parent && !inner.parent ? { ...inner, parent } : inner);
        }
      }
      resume = Math.min(body.resume + 1, text.length);
    }
    return resume;
  };

  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '\\') {
      if (text[i + 1] === '\n') {
        endWord(at(i));
        i += 2;
      } else if (text[i + 1] === '\r' && text[i + 2] === '\n') {
        endWord(at(i));
        i += 3;
      } else if (i + 1 < text.length) {
        startWord(i);
        push(text[i + 1], i + 1);
        i += 2;
      } else {
        i += 1;
      }
      continue;
    }
    if (WHITESPACE.has(char)) {
      endWord(at(i));
      i += 1;
      continue;
    }
    if (char === '#' && !word) {
      while (i < text.length && text[i] !== '\n') i += 1;
      continue;
    }
    if (char === "'") {
      startWord(i);
      const close = text.indexOf("'", i + 1);
      const end = close === -1 ? text.length : close;
      for (let k = i + 1; k < end; k += 1) push(text[k], k);
      i = end + 1;
      continue;
    }
    if (char === '"') {
      startWord(i);
      let k = i + 1;
      while (k < text.length && text[k] !== '"') {
        if (text[k] === '\\' && k + 1 < text.length && '"\\$`\n'.includes(text[k + 1])) {
          if (text[k + 1] !== '\n') push(text[k + 1], k + 1);
          k += 2;
        } else {
          push(text[k], k);
          k += 1;
        }
      }
      i = k + 1;
      continue;
    }
    const heredoc = char === '<' ? heredocAt(text, i) : undefined;
    if (heredoc) {
      endWord(at(i));
      heredocs.push({ delimiter: heredoc.delimiter, stripTabs: heredoc.stripTabs, owner: words });
      i = heredoc.end;
      continue;
    }
    if (char === '>' || char === '<') {
      // Redirections (`2>&1`, `>/dev/null`) stay words, so `&` there is not an operator.
      push(char, i);
      i += 1;
      while (i < text.length && (text[i] === '&' || text[i] === '>' || /\d/.test(text[i]))) {
        push(text[i], i);
        i += 1;
      }
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      endCommand(two, i);
      i += 2;
      continue;
    }
    if (char === ';' || char === '|' || char === '&' || char === '\n') {
      endCommand(char as ShellOperator, i);
      i += 1;
      if (char === '\n' && heredocs.length > 0) {
        i = readHeredocBodies(i);
        heredocs = [];
      }
      continue;
    }
    if (char === '(' || char === ')' || char === '{' || char === '}') {
      // Grouping: `(a || true) && b` is read as `a || true && b`, which is what matters here.
      if (!word) {
        i += 1;
        continue;
      }
    }
    push(char, i);
    i += 1;
  }
  endCommand(undefined, text.length);
  return commands;
}

/** The `-c` script of `sh -c '…'` / `/bin/bash -ec "…"`, if this command is one. */
export function shellScriptArgument(command: ShellCommand): ShellWord | undefined {
  const [program, ...rest] = command.words;
  if (!program || !SHELLS.has(program.value.replace(/^.*\//, ''))) return undefined;
  for (let index = 0; index < rest.length; index += 1) {
    const word = rest[index].value;
    if (/^-[a-z]*c[a-z]*$/.test(word)) return rest[index + 1];
    if (!word.startsWith('-')) return undefined;
  }
  return undefined;
}

/** Every simple command, including those inside `sh -c '…'` (recursively), in source order. */
export function expandCommands(commands: ShellCommand[]): ShellCommand[] {
  const result: ShellCommand[] = [];
  for (const command of commands) {
    result.push(command);
    const script = shellScriptArgument(command);
    if (script) {
      for (const inner of expandCommands(splitCommandLine(script.value, script.start, script.positions))) {
        result.push(inner.parent ? inner : { ...inner, parent: command });
      }
    }
  }
  return result;
}

/** An argv (Dockerfile exec form, compose `command: [...]`) as one command. */
export function commandFromArgv(argv: ShellWord[]): ShellCommand[] {
  if (argv.length === 0) return [];
  return [{ words: argv, start: argv[0].start, end: argv[argv.length - 1].end, argv: true }];
}

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Where the program really starts once package runners and wrappers are skipped:
 * `npx prisma`, `npx --yes prisma@5`, `pnpm exec`, `pnpm dlx`, `pnpx`, `bunx`, `bun x`, `yarn`,
 * `yarn exec`, `yarn dlx`, `npm exec --`, `env X=1`, `cross-env`, `dotenv -e … --`, `exec`.
 * Returns the index of the program word, or -1.
 */
export function programIndex(words: readonly ShellWord[]): number {
  let index = 0;
  const value = (k: number): string => words[k]?.value ?? '';
  const skipOptions = (valueOptions: RegExp): void => {
    while (index < words.length && value(index).startsWith('-')) {
      if (value(index) === '--') {
        index += 1;
        return;
      }
      index += valueOptions.test(value(index)) ? 2 : 1;
    }
  };
  for (let guard = 0; guard < 8 && index < words.length; guard += 1) {
    const word = value(index);
    const name = word.replace(/^.*\//, '');
    if (ENV_ASSIGNMENT.test(word)) {
      index += 1;
    } else if (name === 'env' || name === 'cross-env' || name === 'exec' || name === 'time' || name === 'nohup') {
      index += 1;
      if (name === 'env') skipOptions(/^(?:-u|-C|--unset|--chdir)$/);
    } else if (name === 'dotenv' || name === 'dotenv-cli' || name === 'env-cmd') {
      index += 1;
      skipOptions(/^(?:-e|-f|-c|-v|-p|--file|--environments)$/);
    } else if (name === 'npx' || name === 'pnpx' || name === 'bunx') {
      index += 1;
      skipOptions(/^(?:-p|--package|-c|--call)$/);
    } else if ((name === 'npm' && ['exec', 'x'].includes(value(index + 1))) || (name === 'bun' && value(index + 1) === 'x')) {
      index += 2;
      skipOptions(/^(?:-p|--package|-c|--call|-w|--workspace)$/);
    } else if ((name === 'pnpm' || name === 'yarn') && ['exec', 'dlx'].includes(value(index + 1))) {
      index += 2;
      skipOptions(/^(?:-p|--package|-C|--dir|--filter|-F)$/);
    } else if ((name === 'yarn' || name === 'pnpm') && value(index + 1) === 'prisma') {
      // `yarn prisma …` / `pnpm prisma …` run the local binary.
      index += 1;
    } else {
      return index;
    }
  }
  return index < words.length ? index : -1;
}

/** The program's name without its directory or npm version spec: `./node_modules/.bin/prisma` → `prisma`, `prisma@5.7` → `prisma`. */
export function programName(word: ShellWord | undefined): string {
  if (!word) return '';
  return word.value.replace(/^.*\//, '').replace(/^(@?[^@]+)@.*$/, '$1');
}
