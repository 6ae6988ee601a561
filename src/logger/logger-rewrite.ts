import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { prefersDoubleQuotes, unwrapExpression } from '../core/ast';
import { getModulePath } from './logger-transports';
import { getRequiredModule } from '../core/module-source';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Scope = TSESLint.Scope.Scope;

/** A replacement of `range` in the original text. */
export interface LoggerEdit {
  range: [number, number];
  text: string;
}

/** Where an element's text starts, leading comments after the previous separator included. */
function effectiveStart(sourceCode: SourceCode, node: TSESTree.Node): number {
  const before = sourceCode.getTokenBefore(node);
  if (!before) return node.range[0];
  const first = sourceCode.getTokenAfter(before, { includeComments: true });
  return first ? Math.min(first.range[0], node.range[0]) : node.range[0];
}

/**
 * Edits that remove `removed` from a comma-separated list (array elements, object properties, call
 * arguments, import specifiers) and leave its separators and layout valid: `[a, b]` → `[a]`,
 * `[a, b]` without both → `[]`.
 */
export function removeFromList(
  sourceCode: SourceCode,
  elements: readonly (TSESTree.Node | null)[],
  removed: ReadonlySet<TSESTree.Node>,
): LoggerEdit[] {
  const items = elements.filter((element): element is TSESTree.Node => element !== null);
  const kept = items.filter((item) => !removed.has(item));
  if (kept.length === 0 && items.length > 0) {
    const open = sourceCode.getTokenBefore(items[0], { includeComments: false })!;
    const close = sourceCode.getTokenAfter(items.at(-1)!, { filter: (token) => token.value !== ',' })!;
    return [{ range: [open.range[1], close.range[0]], text: '' }];
  }
  const edits: LoggerEdit[] = [];
  const lastKept = items.indexOf(kept.at(-1)!);
  items.forEach((item, index) => {
    if (!removed.has(item)) return;
    if (index < lastKept) {
      edits.push({ range: [effectiveStart(sourceCode, item), effectiveStart(sourceCode, items[index + 1])], text: '' });
    } else {
      edits.push({ range: [items[index - 1].range[1], item.range[1]], text: '' });
    }
  });
  return edits;
}

/** Removes a whole statement with its line when it stands alone on it. */
export function removeStatement(sourceCode: SourceCode, statement: TSESTree.Node): LoggerEdit {
  const text = sourceCode.text;
  const start = statement.range[0];
  const end = statement.range[1];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd === -1) lineEnd = text.length;
  if (text.slice(lineStart, start).trim() === '' && text.slice(end, lineEnd).trim() === '') {
    let removeEnd = Math.min(lineEnd + 1, text.length);
    let removeStart = lineStart;
    // A statement between blank lines takes one of them along, so no double blank line is left.
    const previousBlank = lineStart > 0 && /(?:^|\n)[ \t]*\r?\n$/.test(text.slice(0, lineStart));
    const nextLineEnd = text.indexOf('\n', removeEnd);
    const nextBlank = removeEnd < text.length && text.slice(removeEnd, nextLineEnd === -1 ? text.length : nextLineEnd).trim() === '';
    if (previousBlank && nextBlank) removeEnd = nextLineEnd === -1 ? text.length : nextLineEnd + 1;
    else if (previousBlank && removeEnd >= text.length) removeStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    return { range: [removeStart, removeEnd], text: '' };
  }
  return { range: [start, end], text: '' };
}

/** Applies edits that fall inside `[start, end)` to that slice of the source. */
export function sliceWithEdits(source: string, start: number, end: number, edits: readonly LoggerEdit[]): string {
  let text = source.slice(start, end);
  for (const edit of [...edits].sort((a, b) => b.range[0] - a.range[0])) {
    text = text.slice(0, edit.range[0] - start) + edit.text + text.slice(edit.range[1] - start);
  }
  return text;
}

/** Quotes a string the way the file does. */
export function quote(sourceCode: SourceCode, value: string): string {
  return prefersDoubleQuotes(sourceCode) ? JSON.stringify(value) : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Adds `name: value` to an object literal, following its layout (one line, or one property per line). */
export function addProperty(sourceCode: SourceCode, object: TSESTree.ObjectExpression, propertyText: string): LoggerEdit {
  const last = object.properties.at(-1);
  if (!last) return { range: object.range, text: `{ ${propertyText} }` };
  const tokenAfter = sourceCode.getTokenAfter(last);
  const hasTrailingComma = tokenAfter?.value === ',';
  if (last.loc.start.line === object.loc.start.line) {
    return { range: [last.range[1], last.range[1]], text: `, ${propertyText}` };
  }
  const indent = sourceCode.lines[last.loc.start.line - 1].slice(0, last.loc.start.column);
  if (hasTrailingComma) return { range: [tokenAfter!.range[1], tokenAfter!.range[1]], text: `\n${indent}${propertyText},` };
  return { range: [last.range[1], last.range[1]], text: `,\n${indent}${propertyText}` };
}

/** Wraps expression text in parentheses where putting it in a ternary would change how it parses. */
export function asOperand(node: TSESTree.Node, text: string): string {
  const expression = unwrapExpression(node);
  const loose =
    expression.type === AST_NODE_TYPES.ConditionalExpression ||
    expression.type === AST_NODE_TYPES.AssignmentExpression ||
    expression.type === AST_NODE_TYPES.SequenceExpression ||
    expression.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    expression.type === AST_NODE_TYPES.YieldExpression;
  return loose ? `(${text})` : text;
}

/** Re-indents the lines after the first from `from` to `to` leading whitespace. */
export function reindent(text: string, from: string, to: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? line : line.startsWith(from) ? to + line.slice(from.length) : line))
    .join('\n');
}

export function indentOfLine(sourceCode: SourceCode, line: number): string {
  return /^[ \t]*/.exec(sourceCode.lines[line - 1])![0];
}

/**
 * Removes the file's imports and top-level `const`s (a path or a string) whose every use lies in
 * `gone` ranges, so a rewrite leaves no unused `DailyRotateFile`/`path`/`logDir` behind. A name that
 * appears again in the new text is kept.
 */
export function removeUnusedBindings(sourceCode: SourceCode, edits: readonly LoggerEdit[]): LoggerEdit[] {
  const program = sourceCode.ast;
  const scope = sourceCode.getScope(program);
  const added: LoggerEdit[] = [];
  const newText = edits.map((edit) => edit.text).join('\n');
  const isGone = (node: TSESTree.Node): boolean =>
    [...edits, ...added].some((edit) => edit.range[0] <= node.range[0] && node.range[1] <= edit.range[1]);
  const unused = (identifier: TSESTree.Identifier): boolean => {
    const variable = ASTUtils.findVariable(moduleScope(scope), identifier);
    if (!variable) return false;
    const uses = variable.references.filter((reference) => !reference.init);
    return uses.length > 0 && uses.every((reference) => isGone(reference.identifier)) && !new RegExp(`\\b${identifier.name}\\b`).test(newText);
  };
  // Two rounds: removing `const logDir = path.join(...)` can leave `path` unused.
  for (let round = 0; round < 2; round++) {
    for (const statement of program.body) {
      if (isGone(statement)) continue;
      if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
        if (statement.specifiers.length === 0) continue;
        const removed = new Set(statement.specifiers.filter((specifier) => unused(specifier.local)));
        if (removed.size === 0) continue;
        if (removed.size === statement.specifiers.length) {
          added.push(removeStatement(sourceCode, statement));
        } else {
          const named = statement.specifiers.filter((specifier) => specifier.type === AST_NODE_TYPES.ImportSpecifier);
          const first = statement.specifiers[0];
          if (named.length === statement.specifiers.length) {
            added.push(...removeFromList(sourceCode, statement.specifiers, removed));
          } else if (first.type === AST_NODE_TYPES.ImportDefaultSpecifier && !removed.has(first) && named.every((specifier) => removed.has(specifier))) {
            // `import pino, { destination } from 'pino'` → `import pino from 'pino'`
            const close = sourceCode.getTokenAfter(named.at(-1)!, { filter: (token) => token.value === '}' })!;
            added.push({ range: [first.range[1], close.range[1]], text: '' });
          } else if (!removed.has(first)) {
            added.push(...removeFromList(sourceCode, named, new Set(named.filter((specifier) => removed.has(specifier)))));
          }
        }
      } else if (statement.type === AST_NODE_TYPES.VariableDeclaration && statement.declarations.length === 1) {
        const declarator = statement.declarations[0];
        if (!declarator.init) continue;
        if (declarator.id.type === AST_NODE_TYPES.Identifier) {
          if (!isRemovableInitializer(declarator.init, sourceCode)) continue;
          if (unused(declarator.id)) added.push(removeStatement(sourceCode, statement));
        } else if (declarator.id.type === AST_NODE_TYPES.ObjectPattern && getModulePath(declarator.init, scope)) {
          const properties = declarator.id.properties;
          const removed = new Set(
            properties.filter(
              (property) =>
                property.type === AST_NODE_TYPES.Property &&
                property.value.type === AST_NODE_TYPES.Identifier &&
                unused(property.value),
            ),
          );
          if (removed.size === 0) continue;
          if (removed.size === properties.length) added.push(removeStatement(sourceCode, statement));
          else added.push(...removeFromList(sourceCode, properties, removed));
        }
      }
    }
    if (added.length === 0) break;
  }
  return dedupe(added);
}

function dedupe(edits: LoggerEdit[]): LoggerEdit[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = `${edit.range[0]}:${edit.range[1]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function moduleScope(scope: Scope): Scope {
  return scope.childScopes.find((child) => child.type === 'module') ?? scope;
}

/** `require('x')`, a string, a template or `path.join(...)`: initialisers with no side effect worth keeping. */
function isRemovableInitializer(init: TSESTree.Expression, sourceCode: SourceCode): boolean {
  const expression = unwrapExpression(init);
  if (expression.type === AST_NODE_TYPES.Literal || expression.type === AST_NODE_TYPES.TemplateLiteral) return true;
  // `const rotate = { datePattern: 'YYYY-MM-DD', maxFiles: '14d' }`: options that only fed a removed transport.
  if (expression.type === AST_NODE_TYPES.ObjectExpression) {
    return expression.properties.every(
      (property) => property.type === AST_NODE_TYPES.Property && !property.computed && unwrapExpression(property.value).type === AST_NODE_TYPES.Literal,
    );
  }
  if (expression.type === AST_NODE_TYPES.CallExpression) {
    const scope = sourceCode.getScope(expression);
    const source = getModulePath(expression.callee, scope);
    if (source && source.module.replace(/^node:/, '') === 'path') return true;
  }
  return getRequiredModule(expression) !== undefined && expression.type !== AST_NODE_TYPES.MemberExpression;
}

/** Removes overlapping or duplicated edits' duplicates; throws nothing. Sorted by start. */
export function sortEdits(edits: readonly LoggerEdit[]): LoggerEdit[] {
  return dedupe([...edits]).sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
}

/** Whether any two edits overlap (then the plan is not applied). */
export function editsOverlap(edits: readonly LoggerEdit[]): boolean {
  const sorted = sortEdits(edits);
  return sorted.some((edit, index) => index > 0 && edit.range[0] < sorted[index - 1].range[1]);
}
