/**
 * The wrapper every rule-driven codemod goes through (codemods/lib/transform.ts): it rewrites only
 * what the rule reports, refuses a rewrite that overlaps itself or does not parse, and gives every
 * finding it leaves a reason at its line.
 */
import { describe, expect, it } from 'vitest';
import { applyEdits, OverlappingEditsError } from '../../codemods/lib/text-edits';
import { createTransform, type TransformContext } from '../../codemods/lib/transform';
import rule from '../../src/rules/listen-requires-host';
import { runCodemod } from '../helpers/run-codemod';

const binding = { name: 'listen-requires-host', rule };
const FASTIFY = "import Fastify from 'fastify';\n\nconst app = Fastify();\nawait app.listen({ port: 3000 });\n";
const FIXED_ELSEWHERE = "import Fastify from 'fastify';\n\nconst app = Fastify();\nawait app.listen({ port: 3000, host: '0.0.0.0' });\n";

function transformWith(body: (context: TransformContext) => string | undefined) {
  return createTransform(/listen/, body, binding);
}

describe('applyEdits', () => {
  it('applies edits that touch (one ends where the next starts) in order', () => {
    expect(applyEdits('abcdef', [{ start: 2, end: 4, text: 'X' }, { start: 0, end: 2, text: '' }, { start: 4, end: 4, text: '+' }])).toBe('X+ef');
  });

  it('refuses overlapping edits and two insertions at one offset', () => {
    expect(() => applyEdits('import x;\n\nrest', [{ start: 0, end: 11, text: '' }, { start: 9, end: 9, text: '\nimport y;' }])).toThrow(OverlappingEditsError);
    expect(() => applyEdits('abc', [{ start: 1, end: 1, text: 'x' }, { start: 1, end: 1, text: 'y' }])).toThrow(OverlappingEditsError);
  });
});

describe('createTransform with a rule', () => {
  it('does not call the body for a file the rule reports nothing in', async () => {
    let called = false;
    const run = await runCodemod(transformWith(() => { called = true; return 'changed'; }), FIXED_ELSEWHERE);
    expect([run.changed, called, run.reports]).toEqual([false, false, []]);
  });

  it('refuses a body whose edits overlap, and says where', async () => {
    const run = await runCodemod(transformWith(({ file }) => applyEdits(file.source, [{ start: 50, end: 70, text: '' }, { start: 60, end: 60, text: 'x' }])), FASTIFY);
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual(['line 4: not rewritten: two edits of this rewrite overlap (applying both would corrupt the code); left as it was']);
  });

  it('refuses a rewrite that does not parse', async () => {
    const run = await runCodemod(transformWith(({ file }) => file.source.replace('await app', 'await (app')), FASTIFY);
    expect(run.changed).toBe(false);
    expect(run.reports).toEqual([expect.stringMatching(/^line 4: not rewritten: the rewrite would not parse \(Parsing error: .*\); left as it was$/)]);
  });

  it('gives a finding the body left without a word a reason at its line, and points to the body\'s own note', async () => {
    const silent = await runCodemod(transformWith(() => undefined), FASTIFY);
    expect(silent.reports).toEqual([expect.stringMatching(/^line 4: not rewritten: Fastify binds 127\.0\.0\.1 when `listen\(\)` names no host/)]);
    const explained = await runCodemod(
      transformWith(({ report }) => {
        report('not rewritten: the app is built in another module', 3);
        return undefined;
      }),
      FASTIFY,
    );
    expect(explained.reports).toEqual([
      'line 3: not rewritten: the app is built in another module',
      expect.stringMatching(/^line 4: not rewritten \(left because of the note for line 3\): Fastify binds 127\.0\.0\.1 when `listen\(\)` names no host/),
    ]);
  });

  it('sees the rule\'s findings: isReported is true for the reported call only', async () => {
    const seen: boolean[] = [];
    await runCodemod(
      transformWith(({ file, isReported }) => {
        const listen = file.source.indexOf('app.listen');
        seen.push(isReported({ start: listen, end: listen + 10 }), isReported({ start: 0, end: 6 }));
        return undefined;
      }),
      FASTIFY,
    );
    expect(seen).toEqual([true, false]);
  });
});
