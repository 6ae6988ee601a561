import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { unwrapExpression } from './ast';

type Scope = TSESLint.Scope.Scope;

/** `require('x')`, `await import('x')`, `require('x').default` → `'x'`. */
export function getRequiredModule(node: TSESTree.Node): string | undefined {
  let expression = unwrapExpression(node);
  if (expression.type === AST_NODE_TYPES.AwaitExpression) expression = unwrapExpression(expression.argument);
  if (expression.type === AST_NODE_TYPES.MemberExpression) expression = unwrapExpression(expression.object);
  if (expression.type === AST_NODE_TYPES.ImportExpression) {
    return expression.source.type === AST_NODE_TYPES.Literal && typeof expression.source.value === 'string'
      ? expression.source.value
      : undefined;
  }
  if (
    expression.type === AST_NODE_TYPES.CallExpression &&
    expression.callee.type === AST_NODE_TYPES.Identifier &&
    expression.callee.name === 'require' &&
    expression.arguments[0]?.type === AST_NODE_TYPES.Literal &&
    typeof expression.arguments[0].value === 'string'
  ) {
    return expression.arguments[0].value;
  }
  return undefined;
}

/**
 * What an `import` binding names: its module and the imported name (`'*'` for a namespace import,
 * `'default'` for a default import). Undefined for any other kind of definition.
 */
export function getImportBinding(definition: TSESLint.Scope.Definition): { module: string; imported: string } | undefined {
  if (definition.type !== 'ImportBinding') return undefined;
  const declaration = definition.parent;
  if (declaration.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
  const specifier = definition.node;
  if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
    const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : String(specifier.imported.value);
    return { module: declaration.source.value, imported };
  }
  return { module: declaration.source.value, imported: specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier ? 'default' : '*' };
}

/**
 * The module an identifier's binding comes from, through `import` (default, named, namespace, aliased),
 * `require` (plain or destructured) or `import()`.
 */
export function getModuleSource(identifier: TSESTree.Identifier, scope: Scope): string | undefined {
  const variable = ASTUtils.findVariable(scope, identifier);
  const definition = variable?.defs[0];
  if (!definition) return undefined;
  if (definition.type === 'ImportBinding') {
    const declaration = definition.parent;
    return declaration.type === AST_NODE_TYPES.ImportDeclaration ? declaration.source.value : undefined;
  }
  if (definition.node.type === AST_NODE_TYPES.VariableDeclarator && definition.node.init) {
    return getRequiredModule(definition.node.init);
  }
  return undefined;
}

/** Whether the file imports or requires `moduleName` anywhere (`node:` prefix ignored). */
export function programImports(program: TSESTree.Program, moduleNames: readonly string[]): boolean {
  const wanted = new Set(moduleNames);
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration && wanted.has(stripNodePrefix(statement.source.value))) {
      return true;
    }
    if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declarations) {
        const source = declarator.init && getRequiredModule(declarator.init);
        if (source && wanted.has(stripNodePrefix(source))) return true;
      }
    }
  }
  return false;
}

export function stripNodePrefix(moduleName: string): string {
  return moduleName.startsWith('node:') ? moduleName.slice(5) : moduleName;
}
