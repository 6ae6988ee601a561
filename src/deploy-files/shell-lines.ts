/**
 * An ESLint parser for the files a deploy runs that are neither code nor JSON/YAML/TOML: Dockerfiles,
 * Procfiles and shell scripts. It yields an empty Program (nothing for JavaScript rules to visit) and,
 * as parser services, the command lines the file runs with their source offsets, so a rule can report
 * at the exact line and column of a command. ESLint-compatible on 8.57, 9 and 10 (`parseForESLint`).
 */
import { basename } from 'node:path';
import { heredocAt, heredocBodyEnd, type ShellWord } from './shell-command';

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

/**
 * `RUN <<EOF` (Dockerfile syntax 1.4+): the instruction goes on through each heredoc's closing line,
 * so the script it runs is read with it.
 */
function afterHeredocs(code: string, instruction: string, end: number): number {
  for (let index = instruction.indexOf('<<'); index !== -1; index = instruction.indexOf('<<', index + 2)) {
    const heredoc = heredocAt(instruction, index);
    if (!heredoc) continue;
    if (end >= code.length) return code.length;
    end = heredocBodyEnd(code, end + 1, heredoc).resume;
  }
  return end;
}

function dockerfileCommands(code: string): CommandLineSource[] {
  const commands: CommandLineSource[] = [];
  const instruction = /^[ \t]*(RUN|CMD|ENTRYPOINT)[ \t]+/gim;
  for (const match of code.matchAll(instruction)) {
    const offset = match.index + match[0].length;
    // An instruction runs to the end of its line, continued by a trailing backslash; comment lines
    // inside a continued instruction are dropped by Docker, and by the shell splitter here.
    let end = offset;
    for (;;) {
      const newline = code.indexOf('\n', end);
      if (newline === -1) {
        end = code.length;
        break;
      }
      if (/\\[ \t]*\r?$/.test(code.slice(end, newline))) {
        end = newline + 1;
        continue;
      }
      end = newline;
      break;
    }
    end = afterHeredocs(code, code.slice(offset, end), end);
    const where = `Dockerfile ${match[1].toUpperCase()}`;
    const text = code.slice(offset, end).replace(/\r$/, '');
    if (text.trimStart().startsWith('[')) {
      const argv = parseExecForm(code, offset, end);
      if (argv) {
        commands.push({ argv, where });
        continue;
      }
    }
    commands.push({ text, offset, where });
  }
  return commands;
}

function procfileCommands(code: string): CommandLineSource[] {
  const commands: CommandLineSource[] = [];
  for (const match of code.matchAll(/^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(.*?)\r?$/gm)) {
    const offset = match.index + match[0].indexOf(':') + 1 + /^[ \t]*/.exec(match[0].slice(match[0].indexOf(':') + 1))![0].length;
    commands.push({ text: match[2], offset, where: `Procfile ${match[1]}`, processType: match[1] });
  }
  return commands;
}

export function commandLinesOf(code: string, filePath: string): CommandLineSource[] {
  switch (commandFileKind(filePath)) {
    case 'dockerfile':
      return dockerfileCommands(code);
    case 'procfile':
      return procfileCommands(code);
    case 'shell':
      return [{ text: code, offset: 0, where: basename(filePath), script: true }];
    default:
      return [];
  }
}

function endLocation(code: string): { line: number; column: number } {
  const lines = code.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1].length };
}

export interface ShellLinesServices {
  deploySafeCommandLines: CommandLineSource[];
}

export function parseForESLint(code: string, options: { filePath?: string } = {}) {
  return {
    ast: {
      type: 'Program' as const,
      body: [],
      sourceType: 'script' as const,
      comments: [],
      tokens: [],
      range: [0, code.length] as [number, number],
      loc: { start: { line: 1, column: 0 }, end: endLocation(code) },
    },
    services: { deploySafeCommandLines: commandLinesOf(code, options.filePath ?? '') } satisfies ShellLinesServices,
    visitorKeys: { Program: ['body'] },
  };
}

export function parse(code: string, options: { filePath?: string } = {}) {
  return parseForESLint(code, options).ast;
}

export const meta = { name: 'eslint-plugin-deploy-safe/shell-lines', version: '1' };
