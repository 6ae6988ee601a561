import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

type Scope = TSESLint.Scope.Scope;

/** Strips what TypeScript adds around an expression without changing its value: `x as T`, `x!`, `<T>x`, `x satisfies T`, `(x)`. */
export function unwrapExpression(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.type === AST_NODE_TYPES.TSAsExpression ||
    current.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.type === AST_NODE_TYPES.TSTypeAssertion ||
    current.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    current.type === AST_NODE_TYPES.ChainExpression
  ) {
    current = current.expression;
  }
  return current;
}

/** The name of a non-computed member property or of a string-keyed computed one (`a.b`, `a['b']`). */
export function getPropertyName(
  node: TSESTree.MemberExpression | TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition,
): string | undefined {
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  } else if (!node.computed && node.key.type === AST_NODE_TYPES.Identifier) {
    return node.key.name;
  }
  const key = node.type === AST_NODE_TYPES.MemberExpression ? node.property : node.key;
  return key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string' ? key.value : undefined;
}

/** `{ a: 1 }` → the `a` property; spreads and computed keys are not found. */
export function findProperty(object: TSESTree.ObjectExpression, name: string): TSESTree.Property | undefined {
  return object.properties.find(
    (property): property is TSESTree.Property =>
      property.type === AST_NODE_TYPES.Property && getPropertyName(property) === name,
  );
}

/**
 * Follows an identifier to the value it was initialised with, when that binding is never reassigned
 * (a `const`, or a `let` nobody writes to again). One hop per call; callers recurse.
 */
export function resolveInitializer(node: TSESTree.Node, scope: Scope): TSESTree.Expression | undefined {
  if (node.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(scope, node);
  if (!variable || variable.defs.length !== 1) return undefined;
  const definition = variable.defs[0];
  if (definition.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
  if (definition.node.id.type !== AST_NODE_TYPES.Identifier || !definition.node.init) return undefined;
  const writes = variable.references.filter((reference) => reference.isWrite() && !reference.init);
  if (writes.length > 0) return undefined;
  return definition.node.init;
}

/** The static string an expression always evaluates to (a literal, a plain template, a `const` holding one). */
export function getStaticString(node: TSESTree.Node, scope: Scope, depth = 0): string | undefined {
  const expression = unwrapExpression(node);
  if (expression.type === AST_NODE_TYPES.Literal && typeof expression.value === 'string') return expression.value;
  if (expression.type === AST_NODE_TYPES.TemplateLiteral && expression.expressions.length === 0) {
    return expression.quasis[0]?.value.cooked ?? undefined;
  }
  if (depth < 5 && expression.type === AST_NODE_TYPES.Identifier) {
    const init = resolveInitializer(expression, scope);
    return init ? getStaticString(init, scope, depth + 1) : undefined;
  }
  return undefined;
}

/** Whether the file's string literals mostly use double quotes; new code follows the file's style. */
export function prefersDoubleQuotes(sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const firstString = sourceCode.ast.tokens.find((token) => token.type === 'String');
  return firstString?.value.startsWith('"') ?? false;
}

/** Calls `visit` on `node` and every node below it (depth first, parents before children). */
export function walk(node: TSESTree.Node, visit: (current: TSESTree.Node) => void): void {
  visit(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof (item as TSESTree.Node).type === 'string') walk(item as TSESTree.Node, visit);
    } else if (value && typeof value === 'object' && typeof (value as TSESTree.Node).type === 'string') {
      walk(value as TSESTree.Node, visit);
    }
  }
}
