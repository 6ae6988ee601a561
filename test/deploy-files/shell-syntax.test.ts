import { describe, expect, it } from 'vitest';
import { invalidNewCommands } from '../../src/deploy-files/shell-syntax';

describe('invalidNewCommands: what fix refuses to write into a deploy file', () => {
  it('a command that does not parse (an unclosed subshell)', () => {
    const before = '{ "scripts": { "start": "(prisma db push || true) && node server.js" } }';
    const after = '{ "scripts": { "start": "(prisma migrate deploy && node server.js" } }';
    expect(invalidNewCommands('package.json', before, after)).toEqual([{ command: '(prisma migrate deploy && node server.js', error: expect.stringMatching(/syntax error/) }]);
  });

  it('`exec` before an assignment, which parses but runs a program named after the variable (a shell file is one command text)', () => {
    const before = '#!/bin/sh\nprisma migrate deploy\nHOSTNAME=0.0.0.0 node build/server/main.js\n';
    const wrong = '#!/bin/sh\nprisma migrate deploy\nexec HOSTNAME=0.0.0.0 node build/server/main.js\n';
    expect(invalidNewCommands('start.sh', before, wrong)).toEqual([
      { command: wrong, error: '`exec HOSTNAME=0.0.0.0` runs a program named `HOSTNAME=0.0.0.0`: the assignment goes before `exec`' },
    ]);
    expect(invalidNewCommands('start.sh', before, wrong.replace('exec HOSTNAME=0.0.0.0', 'HOSTNAME=0.0.0.0 exec'))).toEqual([]);
  });
});
