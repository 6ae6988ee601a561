import { describe, expect, it } from 'vitest';
import { parseCommandLine, programIndex, programName, splitCommandLine, type ShellCommand } from '../../src/deploy-files/shell-command';

const summary = (commands: ShellCommand[]) => commands.map((command) => ({ words: command.words.map((word) => word.value).join(' '), before: command.before, after: command.after }));

describe('splitCommandLine (mvdan/sh)', () => {
  it('reads the operators between commands, through subshells and groups', () => {
    expect(summary(splitCommandLine('prisma generate && (prisma db push || true) && next build'))).toEqual([
      { words: 'prisma generate', before: undefined, after: '&&' },
      { words: 'prisma db push', before: '&&', after: '||' },
      { words: 'true', before: '||', after: '&&' },
      { words: 'next build', before: '&&', after: undefined },
    ]);
    expect(summary(splitCommandLine('{ a; b; } | c & d'))).toEqual([
      { words: 'a', before: undefined, after: ';' },
      { words: 'b', before: ';', after: '|' },
      { words: 'c', before: '|', after: '&' },
      { words: 'd', before: '&', after: undefined },
    ]);
  });

  it('marks where each operand ends, so a rewrite keeps the parentheses', () => {
    const text = '(npx prisma db push || echo failed) && node server.js';
    const [push, echo] = splitCommandLine(text);
    expect(text.slice(push.afterTo![0], push.afterTo![1])).toBe('echo failed');
    // `echo` ends the subshell: the `&&` after it follows the `)`.
    expect(text.slice(echo.afterFrom! - 1, echo.afterTo![0])).toBe(') && ');
    expect(text.slice(echo.afterTo![0], echo.afterTo![1])).toBe('node server.js');
  });

  it('finds commands inside if/then/fi, case, loops, functions and $( )', () => {
    const words = (text: string) => splitCommandLine(text).map((command) => command.words.map((word) => word.value).join(' '));
    expect(words('if [ "$NODE_ENV" = production ]; then prisma db push; fi')).toEqual(['[ $NODE_ENV = production ]', 'prisma db push']);
    expect(words('case "$1" in migrate) prisma migrate deploy ;; *) node x.js ;; esac')).toEqual(['prisma migrate deploy', 'node x.js']);
    expect(words('for i in 1 2; do prisma db push; done; while false; do :; done')).toEqual(['prisma db push', 'false', ':']);
    expect(words('migrate() { prisma migrate deploy; }\nmigrate')).toEqual(['prisma migrate deploy', 'migrate']);
    expect(words('export URL=$(prisma db push) && echo "$(date)" `whoami`')).toEqual(['export URL=$(prisma db push)', 'prisma db push', 'echo $(date) `whoami`', 'date', 'whoami']);
  });

  it("gives the last command of each if branch the operator after `fi` (the if exits with its status), a loop body's none", () => {
    const [test, push, start] = splitCommandLine('if [ x ]; then prisma db push; fi; node server.js');
    expect([test.after, push.after, start.before]).toEqual([undefined, ';', ';']);
    const [cond, a, b, after] = splitCommandLine('if c; then a; else b; fi || true');
    expect([cond.after, a.after, b.after, after.before]).toEqual([undefined, '||', '||', '||']);
    const [loop, body, next] = splitCommandLine('while w; do prisma db push; done; node server.js');
    expect([loop.after, body.after, next.before]).toEqual([undefined, undefined, ';']);
  });

  it('reads a heredoc as commands only where a shell runs it', () => {
    const words = (text: string) => splitCommandLine(text).map((command) => command.words.map((word) => word.value).join(' '));
    expect(words('bash -e <<EOF\nprisma db push\nEOF\nnode x')).toEqual(['bash -e', 'prisma db push', 'node x']);
    expect(words("cat <<'EOF' > start.sh\nprisma db push\nEOF\nnode x")).toEqual(['cat', 'node x']);
    expect(words('<<EOF\nprisma db push\nEOF')).toEqual(['prisma db push']);
  });

  it('keeps the source offset of every character, through quotes, escapes and positions', () => {
    const text = `echo "a\\"b" 'c d' e\\ f`;
    const [command] = splitCommandLine(text, 10);
    expect(command.words.map((word) => word.value)).toEqual(['echo', 'a"b', 'c d', 'e f']);
    expect(command.words[1].positions.map((position) => text[position - 10])).toEqual(['a', '"', 'b']);
    expect(command.words[3]).toMatchObject({ start: 28, end: 32 });
    // Non-ASCII text: mvdan/sh counts bytes, the words count characters.
    const [, push] = splitCommandLine('echo héllo && prisma db push');
    expect(push.start).toBe(14);
  });

  it('reads CRLF line ends as line ends', () => {
    const [push, start] = splitCommandLine('npx prisma db push\r\nexec node server.js\r\n');
    expect(push.words.map((word) => word.value)).toEqual(['npx', 'prisma', 'db', 'push']);
    expect([push.end, start.start]).toEqual([18, 20]);
  });

  it('has no commands for text that is not valid shell, and says why', () => {
    expect(parseCommandLine('prisma generate && (prisma db push || true && next build')).toMatchObject({ commands: [], error: expect.stringMatching(/\)/) });
  });

  it('returns the comments, not as commands', () => {
    const parsed = parseCommandLine('#!/bin/sh\n# eslint-disable-next-line x\nnode a.js # trailing\n');
    expect(parsed.comments.map((comment) => comment.value)).toEqual(['!/bin/sh', ' eslint-disable-next-line x', ' trailing']);
    expect(parsed.commands).toHaveLength(1);
  });
});

describe('programIndex / programName: the Prisma CLI however it is invoked', () => {
  const program = (text: string) => {
    const [command] = splitCommandLine(text);
    return programName(command.words[programIndex(command.words)]);
  };
  it.each([
    'prisma db push',
    'npx prisma db push',
    'npx --yes prisma@5 db push',
    'pnpm exec prisma db push',
    'pnpm dlx prisma db push',
    'bunx prisma db push',
    'bun x prisma db push',
    'bun prisma db push',
    'yarn prisma db push',
    'yarn exec prisma db push',
    'npm exec -- prisma db push',
    './node_modules/.bin/prisma db push',
    'node ./node_modules/prisma/build/index.js db push',
    'node node_modules/prisma/build/index.js db push',
    'DATABASE_URL=x dotenv -e .env -- npx prisma db push',
  ])('%s', (text) => expect(program(text)).toBe('prisma'));
  it('leaves other node scripts alone', () => {
    expect(program('node dist/server.js')).toBe('node');
    expect(program('node ./node_modules/prisma-tools/index.js')).toBe('node');
  });
});
