import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, unwrapExpression } from '../core/ast';
import { isPrismaClientClass } from './prisma-client';

type Scope = TSESLint.Scope.Scope;
type GetScope = (node: TSESTree.Node) => Scope;

/** A binding through which a module hands out its module-level Prisma client. */
export interface ExportedPrismaClient {
  /** What an importer names: `prisma` (`export const prisma`, `exports.prisma`, `module.exports = { prisma }`), or `default`. */
  name: string;
  /**
   * `esm` for `export` syntax; `commonjs` for `module.exports`, `exports.x` and `export =`. A `require()` of an
   * ES-module default export gets `{ default }`, of a CommonJS one the value itself.
   */
  syntax: 'esm' | 'commonjs';
  /** The `new PrismaClient(...)` expressions the exported value comes from. */
  constructions: TSESTree.NewExpression[];
}

const FUNCTION_TYPES = new Set<string>([AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.FunctionExpression, AST_NODE_TYPES.ArrowFunctionExpression]);

/**
 * The exports of a module whose value is its Prisma client, in source order: `export const prisma = new PrismaClient()`
 * (also `globalThis.prisma ?? new PrismaClient()`, a factory called at load, `.$extends(...)`), `export { client as prisma }`,
 * `export default prisma`, `module.exports = prisma`, the key of `module.exports = { db: prisma }` that holds it,
 * `exports.prisma = ...`. Anything else a module exports — a framework plugin that creates a client when registered,
 * `fp(...)`, a class, a repository object — is not a client, even in a file that creates one.
 */
export function findExportedPrismaClients(program: TSESTree.Program, getScope: GetScope): ExportedPrismaClient[] {
  const found: ExportedPrismaClient[] = [];
  const add = (name: string, syntax: ExportedPrismaClient['syntax'], value: TSESTree.Node): void => {
    const constructions = clientConstructions(value, getScope, new Set());
    if (constructions.length > 0) found.push({ name, syntax, constructions });
  };
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.exportKind !== 'type') {
      if (statement.declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
        for (const declarator of statement.declaration.declarations) {
          if (declarator.id.type === AST_NODE_TYPES.Identifier) add(declarator.id.name, 'esm', declarator.id);
        }
      } else if (!statement.source) {
        for (const specifier of statement.specifiers) {
          if (specifier.exportKind === 'type' || specifier.local.type !== AST_NODE_TYPES.Identifier) continue;
          add(specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : String(specifier.exported.value), 'esm', specifier.local);
        }
      }
    } else if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      if (!FUNCTION_TYPES.has(statement.declaration.type) && statement.declaration.type !== AST_NODE_TYPES.ClassDeclaration) add('default', 'esm', statement.declaration);
    } else if (statement.type === AST_NODE_TYPES.TSExportAssignment) {
      add('default', 'commonjs', statement.expression);
    } else if (statement.type === AST_NODE_TYPES.ExpressionStatement && statement.expression.type === AST_NODE_TYPES.AssignmentExpression && statement.expression.operator === '=') {
      const { left, right } = statement.expression;
      const target = commonJsExportTarget(left);
      if (target === undefined) continue;
      const value = unwrapExpression(right);
      if (target === 'module.exports' && value.type === AST_NODE_TYPES.ObjectExpression) {
        for (const property of value.properties) {
          const key = property.type === AST_NODE_TYPES.Property && property.kind === 'init' ? getPropertyName(property) : undefined;
          if (key !== undefined) add(key, 'commonjs', (property as TSESTree.Property).value);
        }
      } else {
        add(target === 'module.exports' ? 'default' : target, 'commonjs', right);
      }
    }
  }
  return found;
}

/** `module.exports` → `'module.exports'`; `module.exports.prisma`, `exports.prisma` → `'prisma'`. */
function commonJsExportTarget(node: TSESTree.Node): string | undefined {
  const target = unwrapExpression(node);
  if (target.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const object = unwrapExpression(target.object);
  const property = getPropertyName(target);
  if (object.type === AST_NODE_TYPES.Identifier && object.name === 'module' && property === 'exports') return 'module.exports';
  if (property === undefined) return undefined;
  if (object.type === AST_NODE_TYPES.Identifier && object.name === 'exports') return property;
  return commonJsExportTarget(object) === 'module.exports' ? property : undefined;
}

/**
 * The `new PrismaClient()` expressions `node` evaluates to, when its value is a Prisma client (empty otherwise):
 * the construction itself, `a ?? b` / `a || b` / `c ? a : b` over one, `globalThis.prisma ??= ...`, `.$extends(...)`,
 * a call of a local synchronous factory that returns one, and a variable holding one.
 */
function clientConstructions(node: TSESTree.Node, getScope: GetScope, seen: Set<TSESTree.Node>): TSESTree.NewExpression[] {
  const expression = unwrapExpression(node);
  if (seen.has(expression)) return [];
  seen.add(expression);
  const of = (child: TSESTree.Node | null | undefined): TSESTree.NewExpression[] => (child ? clientConstructions(child, getScope, seen) : []);
  switch (expression.type) {
    case AST_NODE_TYPES.NewExpression:
      return isPrismaClientClass(expression.callee, getScope(expression)) ? [expression] : [];
    case AST_NODE_TYPES.LogicalExpression:
      return expression.operator === '&&' ? [] : [...of(expression.left), ...of(expression.right)];
    case AST_NODE_TYPES.ConditionalExpression:
      return [...of(expression.consequent), ...of(expression.alternate)];
    case AST_NODE_TYPES.AssignmentExpression:
      return ['=', '??=', '||='].includes(expression.operator) ? of(expression.right) : [];
    case AST_NODE_TYPES.SequenceExpression:
      return of(expression.expressions.at(-1));
    case AST_NODE_TYPES.CallExpression: {
      const callee = unwrapExpression(expression.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(callee) === '$extends') return of(callee.object);
      const factory = callee.type === AST_NODE_TYPES.Identifier ? localFunction(callee, getScope(callee)) : undefined;
      return factory ? returnedValues(factory).flatMap(of) : [];
    }
    case AST_NODE_TYPES.Identifier: {
      const variable = ASTUtils.findVariable(getScope(expression), expression);
      if (!variable?.defs.some((definition) => definition.type === 'Variable')) return [];
      return variable.references.flatMap((reference) => (reference.isWrite() && reference.writeExpr ? of(reference.writeExpr) : []));
    }
    default:
      return [];
  }
}

type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/** `function make() {}` or `const make = () => ...` in this module; async functions return a promise, not a client. */
function localFunction(identifier: TSESTree.Identifier, scope: Scope): FunctionNode | undefined {
  const definition = ASTUtils.findVariable(scope, identifier)?.defs[0];
  let fn: TSESTree.Node | undefined;
  if (definition?.type === 'FunctionName') fn = definition.node;
  else if (definition?.type === 'Variable' && definition.node.type === AST_NODE_TYPES.VariableDeclarator && definition.node.init) fn = unwrapExpression(definition.node.init);
  return fn && FUNCTION_TYPES.has(fn.type) && !(fn as FunctionNode).async ? (fn as FunctionNode) : undefined;
}

/** What a function returns: its expression body, or the arguments of its own `return` statements (not nested functions'). */
function returnedValues(fn: FunctionNode): TSESTree.Node[] {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const values: TSESTree.Node[] = [];
  const visit = (node: TSESTree.Node): void => {
    if (node.type === AST_NODE_TYPES.ReturnStatement) {
      if (node.argument) values.push(node.argument);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'parent') continue;
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof (child as TSESTree.Node).type === 'string' && !FUNCTION_TYPES.has((child as TSESTree.Node).type)) visit(child as TSESTree.Node);
      }
    }
  };
  visit(fn.body);
  return values;
}
