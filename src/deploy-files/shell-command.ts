/**
 * The simple commands a POSIX shell command line runs, read by a real shell parser (mvdan/sh, see
 * ./mvdan-sh.ts): pipelines and `&&` / `||` / `;` / `&` / newline lists, subshells `( )`, groups `{ }`,
 * `if`/`case`/`while`/`until`/`for`, functions, `$( )` and backticks, heredocs. Every word keeps the
 * source offset of each of its characters, so a rule can report at the exact column of a command even
 * inside a JSON or YAML string.
 *
 * `echo "prisma db push"` and `# prisma db push` are not commands; `a || true` is two. A heredoc's body
 * is read as commands only when a shell runs it (`bash <<EOF`, Dockerfile `RUN <<EOF`); for any other
 * program (`cat <<EOF > start.sh`, `psql <<SQL`) it is data (only its `$( )` run). A line that is not
 * valid shell yields no commands: the shell would run none of it either.
 */
import { byteToIndex, parseShell, type ShComment, type ShNode } from './mvdan-sh';

export interface ShellWord {
  /** The word as the shell sees it (quotes removed, escapes applied; `$( )` and `${ }` kept as written). */
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
  /**
   * The operator that joins this command to the one before it / after it, if any. A command that ends
   * a subshell or group carries the operator after the `)` / `}` (`(a || true) && b`: `true` is followed
   * by `&&`); so does the last command of each branch of an `if` (`if …; then a; fi || true`: `a` is
   * followed by `||`, since the `if` exits with its status); the last command of a loop or `case` body
   * carries none.
   */
  before?: ShellOperator;
  after?: ShellOperator;
  /**
   * With `after`: where the operand that ends with this command ends (after a closing `)`), and the
   * source range of the operand on the other side of the operator (`b` in `a; b`, `true | tee x` in
   * `a || true | tee x`, a whole `if … fi`).
   */
  afterFrom?: number;
  afterTo?: [number, number];
  /** Set on commands found inside `sh -c '…'` or a shell's heredoc: the outer command that runs them. */
  parent?: ShellCommand;
  /** An exec-form argv (`["npx", "prisma"]`): each word is its own JSON string in the source. */
  argv?: boolean;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/** A comment of a shell text: `#` at `start`, its text after the `#`. */
export interface ShellComment {
  value: string;
  start: number;
  end: number;
}

export interface ShellParse {
  commands: ShellCommand[];
  comments: ShellComment[];
  /** mvdan/sh's message when the text is not valid shell (then there are no commands). */
  error?: string;
}

/**
 * `positions[i]` is the source offset of `text[i]`; by default `text` starts at `offset`. `endOffset` is
 * the source offset just past the text (before a closing quote), exact where the last character was
 * written as an escape (`\"`), which `positions` alone cannot tell.
 */
export function splitCommandLine(text: string, offset = 0, positions?: readonly number[], endOffset?: number): ShellCommand[] {
  return parseCommandLine(text, offset, positions, endOffset).commands;
}

/** `splitCommandLine` with the comments and the syntax error, if any. */
export function parseCommandLine(text: string, offset = 0, positions?: readonly number[], endOffset?: number): ShellParse {
  if (text.trim() === '') return { commands: [], comments: [] };
  // A file checked out with CRLF line ends: the `\r` is no part of the last word (as in the old
  // splitter, and as git's eol conversion gives the platform). Same length, so offsets hold.
  if (text.includes('\r')) text = text.replace(/\r(?=\n)/g, ' ');
  const parsed = parseShell(text);
  if (!parsed.file) return { commands: [], comments: [], error: parsed.error };
  const index = byteToIndex(text);
  const at = (i: number): number => (positions ? (positions[i] ?? endOffset ?? (positions.at(-1) ?? offset) + 1) : offset + i);
  const reader = new CommandReader(text, index, at);
  reader.statements(parsed.file.Stmts);
  for (const comment of list<ShComment>(parsed.file.Last)) reader.comment(comment);
  return { commands: reader.commands, comments: [...reader.comments.values()].sort((x, y) => x.start - y.start) };
}

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

class CommandReader {
  readonly commands: ShellCommand[] = [];
  readonly comments = new Map<number, ShellComment>();

  constructor(
    private readonly text: string,
    private readonly index: (offset: number) => number,
    private readonly at: (index: number) => number,
  ) {}

  private pos(offset: number): number {
    return this.index(offset);
  }

  private source(pos: number): number {
    return this.at(this.pos(pos));
  }

  /** Comments hang off statements, `case` items, and the ends of bodies (`Last`). */
  comment(comment: ShComment): void {
    const start = this.source(comment.Hash);
    this.comments.set(start, { value: comment.Text, start, end: this.source(comment.end) });
  }

  private commentsOf(node: ShNode): void {
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const item of value as ShNode[]) if (item?.type === 'Comment') this.comment(item as ShComment);
    }
  }

  /** A list of statements; returns the command that ends it (for the operator after a `)`/`}`), if any. */
  statements(stmts: unknown): ShellCommand | undefined {
    const items = list<ShNode>(stmts);
    let tail: ShellCommand | undefined;
    let before: ShellOperator | undefined;
    items.forEach((stmt, k) => {
      const first = this.commands.length;
      tail = this.statement(stmt);
      if (before !== undefined && this.commands[first]) this.commands[first].before = before;
      const next = items[k + 1];
      if (!next) return;
      before = stmt.Background ? '&' : (stmt.Semicolon as number) >= 0 ? ';' : '\n';
      if (tail) this.join(tail, before, this.statementEnd(stmt), next);
    });
    return tail;
  }

  /** Where a statement's command and redirections end (before its `;` or `&`). */
  private statementEnd(stmt: ShNode): number {
    let end = (stmt.Cmd as ShNode | null)?.end ?? stmt.pos;
    for (const redirect of list<ShNode>(stmt.Redirs)) end = Math.max(end, ((redirect.Word as ShNode | null) ?? redirect).end);
    return this.at(this.index(end));
  }

  private join(tail: ShellCommand, operator: ShellOperator, leftEnd: number, right: ShNode): void {
    for (const command of [tail, ...(this.branchTails.get(tail) ?? [])]) {
      command.after = operator;
      command.afterFrom = leftEnd;
      command.afterTo = [this.source(right.pos), this.source(right.end)];
    }
  }

  /** The first branch tail of an `if` → the other branches' tails, which the operator after `fi` also follows. */
  private readonly branchTails = new Map<ShellCommand, ShellCommand[]>();

  /** The commands an `if` can end with (one per branch: `then`, each `elif`'s, `else`); its condition never ends it. */
  private ifClause(cmd: ShNode): ShellCommand[] {
    this.statements(cmd.Cond);
    const tails: ShellCommand[] = [];
    const then = this.statements(cmd.Then);
    if (then) tails.push(then, ...(this.branchTails.get(then) ?? []));
    const otherwise = cmd.Else as ShNode | null;
    if (otherwise) {
      // mvdan/sh: an `elif` is an IfClause in Else; a plain `else` is an IfClause without Cond.
      if (list(otherwise.Cond).length > 0) tails.push(...this.ifClause(otherwise));
      else {
        const tail = this.statements(otherwise.Then);
        if (tail) tails.push(tail, ...(this.branchTails.get(tail) ?? []));
      }
    }
    return tails;
  }

  /** One statement: its command, its heredocs. Returns the command that ends it, when it ends in one. */
  private statement(stmt: ShNode): ShellCommand | undefined {
    this.commentsOf(stmt);
    const cmd = stmt.Cmd as ShNode | null;
    if (cmd) this.commentsOf(cmd);
    const tail = cmd ? this.command(cmd) : undefined;
    for (const redirect of list<ShNode>(stmt.Redirs)) {
      const heredoc = redirect.Hdoc as ShNode | null;
      if (redirect.Word) this.substitutions(redirect.Word as ShNode);
      if (!heredoc) continue;
      // A bare `<<EOF` (Dockerfile `RUN <<EOF`) or a shell reading standard input runs the body.
      if (!cmd || (tail !== undefined && isShellReadingStdin(tail))) {
        const start = this.pos(heredoc.pos);
        let end = this.pos(heredoc.end);
        // mvdan/sh's heredoc word runs through the closing delimiter line: the body stops before it.
        const delimiter = redirect.Word ? this.word(redirect.Word as ShNode).value : '';
        const lastLine = this.text.lastIndexOf('\n', end - 1) + 1;
        if (lastLine >= start && this.text.slice(lastLine, end).replace(/^\t+/, '').replace(/\r$/, '') === delimiter) end = lastLine;
        else if (lastLine < start && this.text.slice(start, end).replace(/^\t+/, '') === delimiter) end = start;
        const positions = Array.from({ length: end - start }, (_, k) => this.at(start + k));
        for (const inner of splitCommandLine(this.text.slice(start, end), this.at(start), positions, this.at(end))) {
          this.commands.push(tail && !inner.parent ? { ...inner, parent: tail } : inner);
        }
      } else {
        this.substitutions(heredoc);
      }
    }
    return tail;
  }

  private emit(command: ShellCommand): ShellCommand {
    this.commands.push(command);
    return command;
  }

  /** A command node; returns the simple command it ends with (none for `if`/loops/`case`/functions). */
  private command(cmd: ShNode): ShellCommand | undefined {
    switch (cmd.type) {
      case 'CallExpr': {
        const words = [...list<ShNode>(cmd.Assigns).map((assign) => this.assignWord(assign)), ...list<ShNode>(cmd.Args).map((word) => this.word(word))];
        if (words.length === 0) return undefined;
        const command = this.emit({ words, start: words[0].start, end: words.at(-1)!.end });
        for (const assign of list<ShNode>(cmd.Assigns)) if (assign.Value) this.substitutions(assign.Value as ShNode);
        for (const word of list<ShNode>(cmd.Args)) this.substitutions(word);
        return command;
      }
      case 'DeclClause': {
        // `export A=1`, `local x=$(…)`: a command of its own, and what its values run.
        const variant = cmd.Variant as ShNode;
        const words = [this.rawWord(variant.pos, variant.end), ...list<ShNode>(cmd.Args).map((assign) => this.assignWord(assign))];
        const command = this.emit({ words, start: words[0].start, end: words.at(-1)!.end });
        for (const assign of list<ShNode>(cmd.Args)) if (assign.Value) this.substitutions(assign.Value as ShNode);
        return command;
      }
      case 'BinaryCmd': {
        const x = cmd.X as ShNode;
        const y = cmd.Y as ShNode;
        const left = this.statement(x);
        const opAt = this.pos(cmd.OpPos as number);
        const two = this.text.slice(opAt, opAt + 2);
        const operator: ShellOperator = two === '&&' || two === '||' ? two : '|';
        if (left) this.join(left, operator, this.statementEnd(x), y);
        const first = this.commands.length;
        const right = this.statement(y);
        if (this.commands[first]) this.commands[first].before = operator;
        return right;
      }
      case 'Subshell':
      case 'Block':
        return this.statements(cmd.Stmts);
      case 'IfClause': {
        const [first, ...others] = this.ifClause(cmd);
        if (first && others.length > 0) this.branchTails.set(first, others);
        return first;
      }
      case 'WhileClause':
        this.statements(cmd.Cond);
        this.statements(cmd.Do);
        return undefined;
      case 'ForClause': {
        const loop = cmd.Loop as ShNode | null;
        for (const word of list<ShNode>(loop?.Items)) this.substitutions(word);
        this.statements(cmd.Do);
        return undefined;
      }
      case 'CaseClause':
        this.substitutions(cmd.Word as ShNode);
        for (const item of list<ShNode>(cmd.Items)) {
          this.commentsOf(item);
          this.statements(item.Stmts);
        }
        return undefined;
      case 'FuncDecl':
        this.statement(cmd.Body as ShNode);
        return undefined;
      case 'TimeClause':
      case 'CoprocClause':
        return cmd.Stmt ? this.statement(cmd.Stmt as ShNode) : undefined;
      default:
        // `[[ … ]]`, `(( … ))`, `let`: tests and arithmetic, no program run (their `$( )` aside).
        this.substitutions(cmd);
        return undefined;
    }
  }

  /** The commands inside `$( )`, backticks and `<( )` of a word (or a test, an arithmetic command), in source order. */
  private substitutions(node: ShNode | null | undefined): void {
    if (!node || typeof node !== 'object') return;
    const type = node.type;
    if (type === 'CmdSubst' || type === 'ProcSubst') {
      this.statements(node.Stmts);
      return;
    }
    if (type === 'Lit' || type === 'SglQuoted') return;
    for (const key of SUBSTITUTION_FIELDS) {
      const value = node[key];
      if (!value || typeof value !== 'object') continue;
      if (Array.isArray(value)) for (const item of value as ShNode[]) this.substitutions(item);
      else this.substitutions(value as ShNode);
    }
  }

  private rawWord(start: number, end: number): ShellWord {
    const from = this.pos(start);
    const to = this.pos(end);
    const positions: number[] = [];
    for (let k = from; k < to; k += 1) positions.push(this.at(k));
    return { value: this.text.slice(from, to), positions, start: this.at(from), end: this.at(to) };
  }

  private assignWord(assign: ShNode): ShellWord {
    const word: ShellWord = { value: '', positions: [], start: this.source(assign.pos), end: this.source(assign.end) };
    const name = assign.Name as ShNode | null;
    const value = assign.Value as ShNode | null;
    const from = this.pos(assign.pos);
    const valueStart = value ? this.pos(value.pos) : this.pos(assign.end);
    // `NAME=` (or `NAME+=`) as written, then the value unquoted.
    for (let k = from; k < valueStart; k += 1) {
      word.value += this.text[k];
      word.positions.push(this.at(k));
    }
    if (!name && !value) return this.rawWord(assign.pos, assign.end);
    if (value) this.parts(value.Parts, false, word);
    return word;
  }

  private word(node: ShNode): ShellWord {
    const word: ShellWord = { value: '', positions: [], start: this.source(node.pos), end: this.source(node.end) };
    this.parts(node.Parts, false, word);
    return word;
  }

  private append(word: ShellWord, from: number, to: number): void {
    for (let k = from; k < to; k += 1) {
      word.value += this.text[k];
      word.positions.push(this.at(k));
    }
  }

  private parts(parts: unknown, quoted: boolean, word: ShellWord): void {
    for (const part of list<ShNode>(parts)) {
      const from = this.pos(part.pos);
      const to = this.pos(part.end);
      switch (part.type) {
        case 'Lit':
          this.literal(from, to, quoted, word);
          break;
        case 'SglQuoted':
          this.append(word, from + (part.Dollar ? 2 : 1), to - 1);
          break;
        case 'DblQuoted':
          this.parts(part.Parts, true, word);
          break;
        default:
          // `$VAR`, `${…}`, `$( )`, `$(( ))`, globs: kept as written.
          this.append(word, from, to);
      }
    }
  }

  /** A literal's characters with the shell's backslash escapes applied (inside double quotes, only before `"\$\``). */
  private literal(from: number, to: number, quoted: boolean, word: ShellWord): void {
    for (let k = from; k < to; k += 1) {
      const char = this.text[k];
      if (char === '\\' && k + 1 < to + 1) {
        const next = this.text[k + 1];
        if (next === '\n') {
          k += 1;
          continue;
        }
        if (!quoted || '"\\$`'.includes(next ?? '')) {
          if (next !== undefined && k + 1 < to) {
            word.value += next;
            word.positions.push(this.at(k + 1));
            k += 1;
            continue;
          }
        }
      }
      word.value += char;
      word.positions.push(this.at(k));
    }
  }
}

/** The fields of words, tests and expansions that can hold a `$( )` (mvdan/sh's node fields). */
const SUBSTITUTION_FIELDS = ['Parts', 'Word', 'X', 'Y', 'Exp', 'Repl', 'Orig', 'With', 'Index', 'Slice', 'Offset', 'Length', 'Value', 'Array', 'Elems', 'Exprs'];

/** `sh`, `bash -e`, `sh -s`: a shell that reads its script from standard input (a heredoc). */
function isShellReadingStdin(command: ShellCommand): boolean {
  const program = programIndex(command.words);
  return program >= 0 && SHELLS.has(programName(command.words[program])) && command.words.slice(program + 1).every((word) => word.value.startsWith('-'));
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
    } else if ((name === 'yarn' || name === 'pnpm' || name === 'bun') && value(index + 1) === 'prisma') {
      // `yarn prisma …` / `pnpm prisma …` / `bun prisma …` run the local binary.
      index += 1;
    } else if (name === 'node' && PRISMA_CLI_SCRIPT.test(value(index + 1))) {
      // `node ./node_modules/prisma/build/index.js db push`: the CLI by path.
      index += 1;
    } else {
      return index;
    }
  }
  return index < words.length ? index : -1;
}

/** The Prisma CLI's entry script, run with `node` (`node_modules/prisma/build/index.js`). */
const PRISMA_CLI_SCRIPT = /(?:^|\/)node_modules\/prisma\/build\/index\.js$/;

/**
 * The program's name without its directory or npm version spec: `./node_modules/.bin/prisma` → `prisma`,
 * `prisma@5.7` → `prisma`, `node_modules/prisma/build/index.js` (the CLI's entry script) → `prisma`.
 */
export function programName(word: ShellWord | undefined): string {
  if (!word) return '';
  if (PRISMA_CLI_SCRIPT.test(word.value)) return 'prisma';
  return word.value.replace(/^.*\//, '').replace(/^(@?[^@]+)@.*$/, '$1');
}
