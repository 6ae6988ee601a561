import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, getStaticString, resolveInitializer, unwrapExpression } from '../core/ast';

type Scope = TSESLint.Scope.Scope;
type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];

const REGISTRATION_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

export interface SignalRegistration {
  /** The `process.on(...)` call. */
  call: TSESTree.CallExpression;
  signals: ShutdownSignal[];
  /** The handler's function, when it is in this file. */
  handler: FunctionNode | undefined;
}

export function isFunctionNode(node: TSESTree.Node | undefined): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node?.type === AST_NODE_TYPES.FunctionExpression ||
    node?.type === AST_NODE_TYPES.FunctionDeclaration
  );
}

/** A function in this file that an expression names: `shutdown`, `const stop = async () => …`. */
export function resolveFunction(node: TSESTree.Node, scope: Scope): FunctionNode | undefined {
  const expression = unwrapExpression(node);
  if (isFunctionNode(expression)) return expression;
  if (expression.type === AST_NODE_TYPES.MemberExpression && expression.object.type === AST_NODE_TYPES.ThisExpression) {
    return resolveOwnMethod(expression);
  }
  if (expression.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(scope, expression);
  const definition = variable?.defs[0];
  if (definition?.type === 'FunctionName' && isFunctionNode(definition.node)) return definition.node;
  const init = resolveInitializer(expression, scope);
  return init && isFunctionNode(unwrapExpression(init)) ? (unwrapExpression(init) as FunctionNode) : undefined;
}

/** `this.shutdown` → the `shutdown` method (or arrow-function field) of the enclosing class. */
function resolveOwnMethod(member: TSESTree.MemberExpression): FunctionNode | undefined {
  const name = getPropertyName(member);
  if (name === undefined) return undefined;
  for (let current: TSESTree.Node | undefined = member.parent; current; current = current.parent) {
    if (current.type !== AST_NODE_TYPES.ClassBody) continue;
    for (const element of current.body) {
      if ((element.type === AST_NODE_TYPES.MethodDefinition || element.type === AST_NODE_TYPES.PropertyDefinition) && !element.static && getPropertyName(element) === name) {
        return element.value && isFunctionNode(element.value) ? element.value : undefined;
      }
    }
    return undefined;
  }
  return undefined;
}

/**
 * The SIGTERM/SIGINT signals an argument names: a literal, a `const`, or the variable of a loop or
 * `forEach` over a literal list (`for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, …)`).
 */
function signalsOf(node: TSESTree.Node, scope: Scope): ShutdownSignal[] {
  const value = getStaticString(node, scope);
  if (value !== undefined) return (SHUTDOWN_SIGNALS as readonly string[]).includes(value) ? [value as ShutdownSignal] : [];
  if (node.type !== AST_NODE_TYPES.Identifier) return [];
  const definition = ASTUtils.findVariable(scope, node)?.defs[0];
  if (!definition) return [];
  let list: TSESTree.Node | undefined;
  if (definition.type === 'Variable' && definition.parent.parent?.type === AST_NODE_TYPES.ForOfStatement) {
    list = definition.parent.parent.right;
  } else if (definition.type === 'Parameter') {
    const callback = definition.node;
    const call = callback.parent;
    if (call?.type === AST_NODE_TYPES.CallExpression && call.callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(call.callee) === 'forEach') {
      list = call.callee.object;
    }
  }
  let array = list && unwrapExpression(list);
  if (array?.type === AST_NODE_TYPES.Identifier) array = resolveInitializer(array, scope);
  // const SIGNALS = ['SIGINT', 'SIGTERM'] as const
  if (array) array = unwrapExpression(array);
  if (array?.type !== AST_NODE_TYPES.ArrayExpression) return [];
  return array.elements.flatMap((element) => {
    const signal = element && getStaticString(element, scope);
    return signal && (SHUTDOWN_SIGNALS as readonly string[]).includes(signal) ? [signal as ShutdownSignal] : [];
  });
}

/** `process.on('SIGTERM', handler)` and its aliases; undefined for anything else. */
export function getSignalRegistration(call: TSESTree.CallExpression, scope: Scope): SignalRegistration | undefined {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = getPropertyName(callee);
  if (!method || !REGISTRATION_METHODS.has(method)) return undefined;
  const object = unwrapExpression(callee.object);
  if (object.type !== AST_NODE_TYPES.Identifier || object.name !== 'process') return undefined;
  const [signalArgument, handlerArgument] = call.arguments;
  if (!signalArgument || !handlerArgument) return undefined;
  const signals = signalsOf(signalArgument, scope);
  if (signals.length === 0) return undefined;
  return { call, signals, handler: resolveFunction(handlerArgument, scope) };
}
