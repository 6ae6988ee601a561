/**
 * An ESLint parser for the files a deploy runs that are neither code nor JSON/YAML/TOML: Dockerfiles,
 * Procfiles and shell scripts. It yields an empty Program (nothing for JavaScript rules to visit) and,
 * as parser services, the command lines the file runs with their source offsets, so a rule can report
 * at the exact line and column of a command. ESLint-compatible on 8.57, 9 and 10 (`parseForESLint`).
 */
import { basename } from 'node:path';
import { parseCommandLine, type ShellWord } from './shell-command';

export interface CommandLineSource {
  /** Shell text (`RUN npm ci && …`, a Procfile line, a whole script), with `offset` its position in the file. */
  text?: string;
  offset?: number;
  /** Exec form (`CMD ["npx", "prisma", "db", "push"]`): the argv, each word with its source positions. */
  argv?: ShellWord[];
  /** `Dockerfile CMD`, `Procfile web`, `entrypoint.sh`. */
  where: string;
  /** Procfile process type (`web`, `release`), for the codemod. */
  processType?: string;
  /** A whole shell script: a newline ends a command, and `set -e` may be in force. */
  script?: boolean;
}

export type CommandFileKind = 'dockerfile' | 'procfile' | 'shell';

export function commandFileKind(filePath: string): CommandFileKind | undefined {
  const name = basename(filePath);
  if (/^(?:Dockerfile|Containerfile)(?:\..+)?$|\.(?:dockerfile|Dockerfile)$/.test(name)) return 'dockerfile';
  if (/^Procfile(?:\..+)?$/.test(name)) return 'procfile';
  if (/\.(?:sh|bash)$/.test(name)) return 'shell';
  return undefined;
}

/** `["npx", "prisma"]` with the source offset of every character of every string. */
function parseExecForm(code: string, start: number, end: number): ShellWord[] | undefined {
  const words: ShellWord[] = [];
  let i = code.indexOf('[', start) + 1;
  while (i < end) {
    const char = code[i];
    if (char === ']') return words;
    if (char === ' ' || char === '\t' || char === ',' || char === '\r' || char === '\n' || (char === '\\' && /^\\\r?\n/.test(code.slice(i, i + 3)))) {
      i += 1;
      continue;
    }
    if (char !== '"') return undefined;
    const word: ShellWord = { value: '', positions: [], start: i, end: i };
    i += 1;
    while (i < end && code[i] !== '"') {
      if (code[i] === '\\') {
        const escaped = code[i + 1];
        if (escaped === 'u') {
          word.value += String.fromCharCode(parseInt(code.slice(i + 2, i + 6), 16));
          word.positions.push(i);
          i += 6;
          continue;
        }
        word.value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[escaped] ?? escaped;
        word.positions.push(i);
        i += 2;
        continue;
      }
      word.value += code[i];
      word.positions.push(i);
      i += 1;
    }
    word.end = i + 1;
    words.push(word);
    i += 1;
  }
  return undefined;
}

type DockerfileAst = typeof import('dockerfile-ast');
let dockerfileAst: DockerfileAst | undefined;

/** Offsets of the start of each line, for the line/character positions dockerfile-ast reports. */
function lineStarts(code: string): number[] {
  const starts = [0];
  for (let index = code.indexOf('\n'); index !== -1; index = code.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

interface DockerfileRead {
  commands: CommandLineSource[];
  comments: { value: string; start: number; end: number }[];
}

/**
 * A Dockerfile read by dockerfile-ast (the parser of VS Code's Docker language server): instructions
 * with the escape directive, continuation lines and heredocs applied as Docker applies them, so a
 * `run …` line inside a `RUN <<EOF` body is the script's, not a second instruction. The shell form is
 * handed on as Docker hands it to `/bin/sh -c`, position for position: comment lines inside a continued
 * instruction blanked, and a continuation (the escape character, spaces, end of line) written as the
 * shell's own `\` + newline.
 */
function readDockerfile(code: string): DockerfileRead {
  // Loaded on first use, with its language-server types: a run with no Dockerfile skips it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  dockerfileAst ??= require('dockerfile-ast') as DockerfileAst;
  const dockerfile = dockerfileAst.DockerfileParser.parse(code);
  const starts = lineStarts(code);
  const offsetAt = (position: { line: number; character: number }): number => Math.min(code.length, (starts[position.line] ?? code.length) + position.character);
  const comments = dockerfile.getComments().map((comment) => {
    const range = comment.getRange();
    const start = offsetAt(range.start);
    return { value: code.slice(start + 1, offsetAt(range.end)), start, end: offsetAt(range.end) };
  });
  const escape = dockerfile.getEscapeCharacter();
  const commands: CommandLineSource[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword !== 'RUN' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT') continue;
    const argumentsRange = instruction.getArgumentsRange();
    if (!argumentsRange) continue;
    const offset = offsetAt(argumentsRange.start);
    const end = offsetAt(instruction.getRange().end);
    const where = `Dockerfile ${keyword}`;
    if (code.slice(offset, end).trimStart().startsWith('[')) {
      const argv = parseExecForm(code, offset, end);
      if (argv) {
        commands.push({ argv, where });
        continue;
      }
    }
    const heredocs = ((instruction as unknown as { getHeredocs?: () => { getContentRange(): { start: { line: number; character: number }; end: { line: number; character: number } } | null }[] }).getHeredocs?.() ?? [])
      .map((heredoc) => heredoc.getContentRange())
      .filter((range) => range !== null)
      .map((range) => [offsetAt(range.start), offsetAt(range.end)] as const);
    const inHeredoc = (index: number): boolean => heredocs.some(([from, to]) => index >= from && index < to);
    const chars = code.slice(offset, end).replace(/\r$/, '').split('');
    for (const comment of comments) {
      if (comment.start < offset || comment.start >= end || inHeredoc(comment.start)) continue;
      const lineStart = code.lastIndexOf('\n', comment.start - 1) + 1;
      const lineEnd = code.indexOf('\n', comment.start);
      for (let index = lineStart; index <= (lineEnd === -1 ? end - 1 : lineEnd); index += 1) if (index >= offset && index < end) chars[index - offset] = ' ';
    }
    const continuation = new RegExp(`${escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}([ \t]*)\r?(?=\n)`, 'g');
    for (const match of code.slice(offset, end).matchAll(continuation)) {
      const at = offset + match.index;
      if (inHeredoc(at)) continue;
      const width = match[0].length;
      for (let k = 0; k < width - 1; k += 1) chars[at - offset + k] = ' ';
      chars[at - offset + width - 1] = '\\';
    }
    commands.push({ text: chars.join(''), offset, where });
  }
  return { commands, comments };
}

function procfileCommands(code: string): CommandLineSource[] {
  const commands: CommandLineSource[] = [];
  for (const match of code.matchAll(/^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(.*?)\r?$/gm)) {
    const offset = match.index + match[0].indexOf(':') + 1 + /^[ \t]*/.exec(match[0].slice(match[0].indexOf(':') + 1))![0].length;
    commands.push({ text: match[2], offset, where: `Procfile ${match[1]}`, processType: match[1] });
  }
  return commands;
}

interface FileComment {
  value: string;
  start: number;
  end: number;
}

/** The command lines of a Dockerfile, Procfile or shell script, and its comments. */
function readCommandFile(code: string, filePath: string): { commands: CommandLineSource[]; comments: FileComment[] } {
  switch (commandFileKind(filePath)) {
    case 'dockerfile':
      return readDockerfile(code);
    case 'procfile': {
      const comments = [...code.matchAll(/^([ \t]*)#(.*?)\r?$/gm)].map((match) => ({ value: match[2], start: match.index + match[1].length, end: match.index + match[0].replace(/\r$/, '').length }));
      return { commands: procfileCommands(code), comments };
    }
    case 'shell':
      return { commands: [{ text: code, offset: 0, where: basename(filePath), script: true }], comments: parseCommandLine(code).comments };
    default:
      return { commands: [], comments: [] };
  }
}

export function commandLinesOf(code: string, filePath: string): CommandLineSource[] {
  return readCommandFile(code, filePath).commands;
}

function locator(code: string): (offset: number) => { line: number; column: number } {
  const starts = lineStarts(code);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low] };
  };
}

export interface ShellLinesServices {
  deploySafeCommandLines: CommandLineSource[];
}

/**
 * ESLint's parser entry. The Program is empty (nothing for JavaScript rules to visit); its `comments`
 * are the file's `#` comments (Dockerfile comments, Procfile comment lines, shell comments), so
 * `# eslint-disable-next-line deploy-safe/…` works in these files as in code.
 */
export function parseForESLint(code: string, options: { filePath?: string } = {}) {
  const { commands, comments } = readCommandFile(code, options.filePath ?? '');
  const loc = locator(code);
  return {
    ast: {
      type: 'Program' as const,
      body: [],
      sourceType: 'script' as const,
      comments: comments.map((comment) => ({
        type: 'Line' as const,
        value: comment.value,
        range: [comment.start, comment.end] as [number, number],
        loc: { start: loc(comment.start), end: loc(comment.end) },
      })),
      tokens: [],
      range: [0, code.length] as [number, number],
      loc: { start: { line: 1, column: 0 }, end: loc(code.length) },
    },
    services: { deploySafeCommandLines: commands } satisfies ShellLinesServices,
    visitorKeys: { Program: ['body'] },
  };
}

export function parse(code: string, options: { filePath?: string } = {}) {
  return parseForESLint(code, options).ast;
}

export const meta = { name: 'eslint-plugin-deploy-safe/shell-lines', version: '2' };
