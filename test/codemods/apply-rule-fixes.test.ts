/**
 * applyRuleFixes under `deploy-safe fix` (codemods/lib/apply-rule-fixes.ts): the first of ESLint's
 * fix passes is made from the findings of fix's own lint, and must give what verifyAndFix gives,
 * overlapping fixes included.
 */
import { resolve } from 'node:path';
import { Linter, type Rule } from 'eslint';
import { describe, expect, it } from 'vitest';
import { applyRuleFixes, withSharedFindings } from '../../codemods/lib/apply-rule-fixes';
import { runCodemod } from '../helpers/run-codemod';

/**
 * Upper-cases one-letter identifiers, and replaces a declarator whose value is one with `= 0`: the
 * declarator's fix overlaps its identifiers', so ESLint applies the identifiers' first and, once they
 * are upper case, the declarator has nothing left to report. A fix that starts where the previous one
 * ends (the `,` of `(y,x)` after `y`) waits for the next pass too, where there is no `y` left to space.
 */
const rule: Rule.RuleModule = {
  meta: { type: 'problem', fixable: 'code', schema: [], messages: { lower: 'lower case' } },
  create(context) {
    return {
      Identifier(node) {
        if (/^[a-z]$/.test(node.name)) context.report({ node, messageId: 'lower', fix: (fixer) => fixer.replaceText(node, node.name.toUpperCase()) });
      },
      VariableDeclarator(node) {
        if (node.init?.type === 'Identifier' && /^[a-z]$/.test(node.init.name)) {
          context.report({ node, messageId: 'lower', fix: (fixer) => fixer.replaceText(node, `${context.sourceCode.getText(node.id)} = 0`) });
        }
      },
      SequenceExpression(node) {
        const [left, right] = node.expressions;
        if (left.type === 'Identifier' && /^[a-z]$/.test(left.name) && right.range![0] === left.range![1] + 1) {
          context.report({ node, messageId: 'lower', fix: (fixer) => fixer.replaceTextRange([left.range![1], right.range![0]], ', ') });
        }
      },
    };
  },
};

const transform = applyRuleFixes('case', rule, /./);
const PATH = 'src/case.js';

/** What fix's shared lint holds for `source`: the rule's messages, as its lint with every rule on gives them. */
function sharedLint(source: string) {
  const messages = new Linter({ configType: 'flat' }).verify(source, { plugins: { 'deploy-safe': { rules: { case: rule } } }, rules: { 'deploy-safe/case': 'error' } }, { filename: resolve(PATH) });
  return { messagesFor: (path: string, text: string) => (path === resolve(PATH) && text === source ? messages : undefined) };
}

describe('applyRuleFixes with the findings of deploy-safe fix', () => {
  for (const source of ['const a = b;\n', 'let x = y, z = w;\nx = (y,x);\n', '\uFEFFconst a = b;\n', 'const a = 1;\n']) {
    it(`rewrites ${JSON.stringify(source)} as it does alone`, async () => {
      const alone = await runCodemod(transform, source, PATH);
      const inFix = await withSharedFindings(sharedLint(source), () => runCodemod(transform, source, PATH));
      expect(inFix).toEqual(alone);
    });
  }

  it('applies the overlapping fixes in ESLint order (the identifiers first, so the declarator is left alone)', async () => {
    const inFix = await withSharedFindings(sharedLint('const a = b;\n'), () => runCodemod(transform, 'const a = b;\n', PATH));
    expect(inFix.output).toBe('const A = B;\n');
  });

  it('leaves a fix that starts where the previous one ends to the next pass', async () => {
    const source = 'x = (y,x);\n';
    const inFix = await withSharedFindings(sharedLint(source), () => runCodemod(transform, source, PATH));
    expect(inFix.output).toBe('X = (Y,X);\n');
  });
});
