import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/**
 * A fix that adds `name: value` as the last property of an object literal, in the object's own layout:
 * on the same line for a one-line object, on a line of its own (same indent, trailing comma kept) for
 * one property per line; a comment ending the last property's line stays on that line.
 */
export function addPropertyFix(sourceCode: Readonly<TSESLint.SourceCode>, object: TSESTree.ObjectExpression, property: string): TSESLint.ReportFixFunction {
  return (fixer) => {
    const last = object.properties.at(-1);
    if (!last) return fixer.replaceText(object, `{ ${property} }`);
    const tokenAfter = sourceCode.getTokenAfter(last);
    const hasTrailingComma = tokenAfter?.value === ',';
    if (last.loc.start.line === object.loc.start.line) {
      return hasTrailingComma && tokenAfter ? fixer.insertTextAfter(tokenAfter, ` ${property},`) : fixer.insertTextAfter(last, `, ${property}`);
    }
    const indent = sourceCode.lines[last.loc.start.line - 1].slice(0, last.loc.start.column);
    const afterLast = hasTrailingComma && tokenAfter ? tokenAfter : last;
    let lineEnd: TSESTree.Node | TSESTree.Token = afterLast;
    for (
      let next = sourceCode.getTokenAfter(afterLast, { includeComments: true });
      next && (next.type === 'Line' || next.type === 'Block') && next.loc.start.line === afterLast.loc.end.line;
      next = sourceCode.getTokenAfter(next, { includeComments: true })
    ) {
      lineEnd = next;
    }
    if (hasTrailingComma) return fixer.insertTextAfter(lineEnd, `\n${indent}${property},`);
    return lineEnd === last
      ? fixer.insertTextAfter(last, `,\n${indent}${property}`)
      : [fixer.insertTextAfter(last, ','), fixer.insertTextAfter(lineEnd, `\n${indent}${property}`)];
  };
}
