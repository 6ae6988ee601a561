import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, getStaticString, resolveInitializer, unwrapExpression } from '../core/ast';

type Scope = TSESLint.Scope.Scope;

/**
 * What a condition being true tells about where the code runs:
 * - `production`: only when `NODE_ENV` is `production`;
 * - `non-production`: never when `NODE_ENV` is `production` (`!== 'production'`, `=== 'development'`);
 * - `opt-in`: only when some other environment variable is set (`process.env.LOG_FILE`), so it is off
 *   unless someone turns it on.
 */
export type GuardFact = 'production' | 'non-production' | 'opt-in';

const MAX_DEPTH = 6;

/** `process.env` (also `process['env']`). */
function isProcessEnv(node: TSESTree.Node): boolean {
  const expression = unwrapExpression(node);
  return (
    expression.type === AST_NODE_TYPES.MemberExpression &&
    expression.object.type === AST_NODE_TYPES.Identifier &&
    expression.object.name === 'process' &&
    getPropertyName(expression) === 'env'
  );
}

/** The environment variable an expression reads (`process.env.X`, `process.env['X']`, `const { X } = process.env`, a `const` holding one). */
export function getEnvVariableName(node: TSESTree.Node, scope: Scope, depth = 0): string | undefined {
  const expression = unwrapExpression(node);
  if (expression.type === AST_NODE_TYPES.MemberExpression && isProcessEnv(expression.object)) {
    return getPropertyName(expression);
  }
  if (expression.type !== AST_NODE_TYPES.Identifier || depth > MAX_DEPTH) return undefined;
  const destructured = getDestructuredEnvName(expression, scope);
  if (destructured) return destructured;
  const init = resolveInitializer(expression, scope);
  return init ? getEnvVariableName(init, scope, depth + 1) : undefined;
}

/** `const { NODE_ENV } = process.env` (or `{ NODE_ENV: env }`) → `NODE_ENV` for the identifier bound there. */
function getDestructuredEnvName(identifier: TSESTree.Identifier, scope: Scope): string | undefined {
  let current: Scope | null = scope;
  while (current) {
    const variable = current.set.get(identifier.name);
    if (variable) {
      const definition = variable.defs[0];
      if (variable.defs.length !== 1 || definition.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
      const declarator = definition.node;
      if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern || !declarator.init || !isProcessEnv(declarator.init)) return undefined;
      if (declarator.parent.kind !== 'const') return undefined;
      for (const property of declarator.id.properties) {
        if (property.type !== AST_NODE_TYPES.Property) continue;
        const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
        if (value.type === AST_NODE_TYPES.Identifier && value.name === identifier.name) return getPropertyName(property);
      }
      return undefined;
    }
    current = current.upper;
  }
  return undefined;
}

function isNodeEnv(node: TSESTree.Node, scope: Scope): boolean {
  return getEnvVariableName(node, scope) === 'NODE_ENV';
}

/** `NODE_ENV` is not production → non-production; not development → could still be `test` or unset: nothing. */
function negate(fact: GuardFact | undefined): GuardFact | undefined {
  return fact === 'production' ? 'non-production' : undefined;
}

/** `NODE_ENV === '<value>'`: true means production exactly when the value is `production`. */
function equalityFact(value: string): GuardFact {
  return value === 'production' ? 'production' : 'non-production';
}

/** What `test` being truthy (or falsy, with `negated`) implies; undefined when it implies nothing we can rely on. */
export function conditionFact(test: TSESTree.Node, scope: Scope, negated = false, depth = 0): GuardFact | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const expression = unwrapExpression(test);
  switch (expression.type) {
    case AST_NODE_TYPES.UnaryExpression:
      return expression.operator === '!' ? conditionFact(expression.argument, scope, !negated, depth + 1) : undefined;
    case AST_NODE_TYPES.CallExpression: {
      // `Boolean(x)` is `x`; `['development', 'test'].includes(process.env.NODE_ENV)`.
      if (expression.callee.type === AST_NODE_TYPES.Identifier && expression.callee.name === 'Boolean' && expression.arguments[0]) {
        return conditionFact(expression.arguments[0], scope, negated, depth + 1);
      }
      return negated ? undefined : includesFact(expression, scope);
    }
    case AST_NODE_TYPES.LogicalExpression: {
      if (expression.operator === '??') return undefined;
      const left = conditionFact(expression.left, scope, negated, depth + 1);
      const right = conditionFact(expression.right, scope, negated, depth + 1);
      // `a && b` true: both are true. `!(a || b)`: both are false. Either side's fact holds.
      const both = (expression.operator === '&&') !== negated;
      if (both) {
        if (left === 'non-production' || right === 'non-production') return 'non-production';
        if (left === 'opt-in' || right === 'opt-in') return 'opt-in';
        return left ?? right;
      }
      return left === right ? left : undefined;
    }
    case AST_NODE_TYPES.BinaryExpression: {
      const operator = expression.operator;
      if (operator !== '===' && operator !== '==' && operator !== '!==' && operator !== '!=') return undefined;
      const inequality = operator === '!==' || operator === '!=';
      for (const [variable, literal] of [
        [expression.left, expression.right],
        [expression.right, expression.left],
      ] as [TSESTree.Node, TSESTree.Node][]) {
        const value = getStaticString(literal, scope);
        if (value === undefined) continue;
        const name = getEnvVariableName(variable, scope);
        if (name === 'NODE_ENV') {
          const fact = equalityFact(value);
          return inequality !== negated ? negate(fact) : fact;
        }
        // `process.env.LOG_TO_FILE === 'true'` is on only when someone sets it.
        if (name && value !== '' && !inequality && !negated) return 'opt-in';
        return undefined;
      }
      return undefined;
    }
    case AST_NODE_TYPES.MemberExpression:
    case AST_NODE_TYPES.Identifier: {
      const name = getEnvVariableName(expression, scope);
      if (name) return name !== 'NODE_ENV' && !negated ? 'opt-in' : undefined;
      // `const isProd = process.env.NODE_ENV === 'production'`
      const init = expression.type === AST_NODE_TYPES.Identifier ? resolveInitializer(expression, scope) : undefined;
      return init ? conditionFact(init, scope, negated, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** `['development', 'test'].includes(process.env.NODE_ENV)` → non-production when no listed value is `production`. */
function includesFact(call: TSESTree.CallExpression, scope: Scope): GuardFact | undefined {
  const callee = call.callee;
  if (callee.type !== AST_NODE_TYPES.MemberExpression || getPropertyName(callee) !== 'includes') return undefined;
  const list = unwrapExpression(callee.object);
  if (list.type !== AST_NODE_TYPES.ArrayExpression || !call.arguments[0] || !isNodeEnv(call.arguments[0], scope)) return undefined;
  const values = list.elements.map((element) => (element && element.type !== AST_NODE_TYPES.SpreadElement ? getStaticString(element, scope) : undefined));
  if (values.some((value) => value === undefined)) return undefined;
  return values.includes('production') ? undefined : 'non-production';
}

/** The condition that guards `child` directly under `parent`, and whether `child` runs when it is false. */
export interface Guard {
  /** The `if`, `?:`, `&&`/`||` or early-return statement that decides. */
  node: TSESTree.Node;
  test: TSESTree.Node;
  /** `child` runs when `test` is falsy (`else` branch, `||` right side, after `if (test) return`). */
  whenFalse: boolean;
  fact: GuardFact | undefined;
}

/** How a statement always leaves its block (`return`, `throw`, or a block ending in one); undefined when it may not. */
function exitOf(statement: TSESTree.Statement): 'return' | 'throw' | undefined {
  if (statement.type === AST_NODE_TYPES.ReturnStatement) return 'return';
  if (statement.type === AST_NODE_TYPES.ThrowStatement) return 'throw';
  if (statement.type === AST_NODE_TYPES.BlockStatement) {
    const last = statement.body.at(-1);
    return last === undefined ? undefined : exitOf(last);
  }
  return undefined;
}

/** Every condition between `node` and the top of the file that decides whether `node` runs. */
export function collectGuards(node: TSESTree.Node, scopeOf: (node: TSESTree.Node) => Scope): Guard[] {
  const guards: Guard[] = [];
  let child: TSESTree.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    const add = (test: TSESTree.Node, whenFalse: boolean, guardNode: TSESTree.Node = parent!): void => {
      guards.push({ node: guardNode, test, whenFalse, fact: conditionFact(test, scopeOf(guardNode), whenFalse) });
    };
    switch (parent.type) {
      case AST_NODE_TYPES.IfStatement:
        if (child === parent.consequent) add(parent.test, false);
        else if (child === parent.alternate) add(parent.test, true);
        break;
      case AST_NODE_TYPES.ConditionalExpression:
        if (child === parent.consequent) add(parent.test, false);
        else if (child === parent.alternate) add(parent.test, true);
        break;
      case AST_NODE_TYPES.LogicalExpression:
        if (child === parent.right && parent.operator !== '??') add(parent.left, parent.operator === '||');
        break;
      case AST_NODE_TYPES.BlockStatement:
      case AST_NODE_TYPES.Program: {
        // `if (process.env.NODE_ENV === 'production') return;` before `child` guards it.
        const index = (parent.body as TSESTree.Node[]).indexOf(child);
        for (const statement of (parent.body as TSESTree.Node[]).slice(0, Math.max(index, 0))) {
          if (statement.type !== AST_NODE_TYPES.IfStatement || statement.alternate) continue;
          const exit = exitOf(statement.consequent);
          if (!exit) continue;
          // `if (!process.env.DATABASE_URL) throw …` makes a variable required, not the code after it
          // opt-in: production sets it, so that code runs there. Only a `return` skips it when unset.
          const fact = conditionFact(statement.test, scopeOf(statement), true);
          if (exit === 'throw' && fact === 'opt-in') continue;
          add(statement.test, true, statement);
        }
        break;
      }
      default:
        break;
    }
  }
  return guards;
}

/** Whether `node` can never run in production (some guard says non-production) or runs only when opted in. */
export function neverRunsInProduction(node: TSESTree.Node, scopeOf: (node: TSESTree.Node) => Scope): boolean {
  return collectGuards(node, scopeOf).some((guard) => guard.fact === 'non-production');
}

export function isOptIn(node: TSESTree.Node, scopeOf: (node: TSESTree.Node) => Scope): boolean {
  return collectGuards(node, scopeOf).some((guard) => guard.fact === 'opt-in');
}
