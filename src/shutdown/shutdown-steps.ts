import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, unwrapExpression, walk } from '../core/ast';
import { isFunctionNode, resolveFunction } from './signal-handler';

type Scope = TSESLint.Scope.Scope;

/** What a shutdown handler does, in the order it does it (nested callbacks are not "in order"). */
export type ShutdownStep =
  | { kind: 'close'; node: TSESTree.Node; awaited: boolean; receiver: TSESTree.Node; exitsInCallback: boolean; hasCallback: boolean }
  | { kind: 'exit'; node: TSESTree.CallExpression }
  | { kind: 'disconnect'; node: TSESTree.Node }
  /** A call handing the server to code in another module (`await shutdown(server)`): trusted to close it. */
  | { kind: 'delegated'; node: TSESTree.Node };

const CLOSE_METHODS = new Set(['close', 'stop', 'terminate', 'closeAllConnections']);
const DISCONNECT_METHODS = new Set(['$disconnect', 'disconnect', 'destroy', 'end', 'quit']);
/** Receivers whose `close()`/`end()` is a database, cache or queue, not the HTTP server. */
export const DATA_RECEIVER = /prisma|db|database|pool|knex|sequelize|mongoose|mongo|redis|cache|client|connection|datasource|queue|worker|producer|consumer|channel|amqp|kafka|nats|pg|sql|orm/i;
/**
 * Receivers whose `close()`/`stop()` is the HTTP server: a server, an app or framework instance, socket.io
 * (whose `close()` closes its HTTP server). `scheduler.stop()` or `browser.close()` stop something else, and
 * counting them as the server's close hid a handler that never closes it.
 */
export const SERVER_RECEIVER = /server|srv|app|fastify|hapi|nest|http|instance|^io$|^api$|^this$/i;
/** Arguments that hand the server (or the framework instance that owns it) to another function. */
const SERVER_ARGUMENT = /server|app|fastify|hapi|nest|http|instance/i;

function receiverName(node: TSESTree.Node): string {
  const expression = unwrapExpression(node);
  if (expression.type === AST_NODE_TYPES.Identifier) return expression.name;
  if (expression.type === AST_NODE_TYPES.ThisExpression) return 'this';
  if (expression.type === AST_NODE_TYPES.MemberExpression) return `${receiverName(expression.object)}.${getPropertyName(expression) ?? ''}`;
  if (expression.type === AST_NODE_TYPES.CallExpression) return receiverName(expression.callee);
  return '';
}

function isProcessExit(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.CallExpression &&
    node.callee.type === AST_NODE_TYPES.MemberExpression &&
    node.callee.object.type === AST_NODE_TYPES.Identifier &&
    node.callee.object.name === 'process' &&
    getPropertyName(node.callee) === 'exit'
  );
}

function containsExit(node: TSESTree.Node): boolean {
  let found = false;
  walk(node, (current) => {
    if (current.type === AST_NODE_TYPES.CallExpression && isProcessExit(current)) found = true;
  });
  return found;
}

/**
 * The steps of a handler in execution order: statements in sequence (into blocks, `if`, `try`), calls to
 * functions of the same file inlined (two levels), a close inside `new Promise(...)` or `promisify`
 * counted as awaited when the promise is. Callbacks that run later are not part of the sequence.
 */
export function shutdownSteps(fn: TSESTree.Node, scope: Scope, depth = 0): ShutdownStep[] {
  const steps: ShutdownStep[] = [];
  if (!isFunctionNode(fn)) return steps;
  const visitExpression = (node: TSESTree.Node, awaited: boolean): void => {
    const expression = unwrapExpression(node);
    switch (expression.type) {
      case AST_NODE_TYPES.AwaitExpression:
        return visitExpression(expression.argument, true);
      case AST_NODE_TYPES.SequenceExpression:
        return expression.expressions.forEach((item) => visitExpression(item, awaited));
      case AST_NODE_TYPES.LogicalExpression:
      case AST_NODE_TYPES.AssignmentExpression:
        return visitExpression(expression.right, awaited);
      case AST_NODE_TYPES.UnaryExpression:
        return visitExpression(expression.argument, awaited);
      case AST_NODE_TYPES.ArrayExpression:
        return expression.elements.forEach((item) => item && visitExpression(item, awaited));
      case AST_NODE_TYPES.NewExpression: {
        // await new Promise((resolve) => server.close(resolve))
        const executor = expression.arguments[0];
        if (expression.callee.type === AST_NODE_TYPES.Identifier && expression.callee.name === 'Promise' && isFunctionNode(executor)) {
          for (const step of shutdownSteps(executor, scope, depth)) steps.push(step.kind === 'close' ? { ...step, awaited, exitsInCallback: false, hasCallback: true } : step);
        }
        return;
      }
      case AST_NODE_TYPES.CallExpression:
        return visitCall(expression, awaited);
      default:
        return;
    }
  };
  const visitCall = (call: TSESTree.CallExpression, awaited: boolean): void => {
    if (isProcessExit(call)) {
      steps.push({ kind: 'exit', node: call });
      return;
    }
    const callee = unwrapExpression(call.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const method = getPropertyName(callee);
      const receiver = receiverName(callee.object);
      if (method === 'then' || method === 'finally' || method === 'catch') {
        // db.$disconnect().then(() => process.exit(0)): the callbacks run after the promise settles.
        const callbacks = call.arguments.filter(isFunctionNode);
        visitExpression(callee.object, awaited || (method !== 'catch' && callbacks.length > 0));
        if (method !== 'catch') for (const callback of callbacks) steps.push(...shutdownSteps(callback, scope, depth));
        return;
      }
      if (method === 'all' || method === 'allSettled') {
        call.arguments.forEach((argument) => visitExpression(argument, awaited));
        return;
      }
      if (method && CLOSE_METHODS.has(method) && !DATA_RECEIVER.test(receiver) && SERVER_RECEIVER.test(receiver.split('.').pop() ?? receiver)) {
        const callback = call.arguments.find((argument) => isFunctionNode(argument) || argument.type === AST_NODE_TYPES.Identifier);
        steps.push({
          kind: 'close',
          node: call,
          awaited,
          receiver: callee.object,
          hasCallback: callback !== undefined,
          exitsInCallback: callback !== undefined && isFunctionNode(callback) && containsExit(callback),
        });
        return;
      }
      if (method && (DISCONNECT_METHODS.has(method) || CLOSE_METHODS.has(method)) && DATA_RECEIVER.test(receiver)) {
        steps.push({ kind: 'disconnect', node: call });
        return;
      }
    }
    // promisify(server.close.bind(server))()
    if (callee.type === AST_NODE_TYPES.CallExpression && callee.callee.type === AST_NODE_TYPES.Identifier && callee.callee.name === 'promisify') {
      const target = callee.arguments[0] && receiverName(callee.arguments[0]);
      if (target && /\.close/.test(target)) steps.push({ kind: 'close', node: call, awaited, receiver: callee.arguments[0], hasCallback: true, exitsInCallback: false });
      return;
    }
    const local = depth < 2 ? resolveFunction(callee, scope) : undefined;
    if (local) {
      for (const step of shutdownSteps(local, scope, depth + 1)) steps.push(step);
      return;
    }
    if (call.arguments.some((argument) => SERVER_ARGUMENT.test(receiverName(argument)))) {
      steps.push({ kind: 'delegated', node: call });
    }
  };
  const visitStatement = (statement: TSESTree.Node): void => {
    switch (statement.type) {
      case AST_NODE_TYPES.BlockStatement:
        return statement.body.forEach(visitStatement);
      case AST_NODE_TYPES.ExpressionStatement:
        return visitExpression(statement.expression, false);
      case AST_NODE_TYPES.ReturnStatement:
        return statement.argument ? visitExpression(statement.argument, false) : undefined;
      case AST_NODE_TYPES.VariableDeclaration:
        return statement.declarations.forEach((declarator) => declarator.init && visitExpression(declarator.init, false));
      case AST_NODE_TYPES.IfStatement:
        visitStatement(statement.consequent);
        return statement.alternate ? visitStatement(statement.alternate) : undefined;
      case AST_NODE_TYPES.TryStatement:
        visitStatement(statement.block);
        if (statement.handler) visitStatement(statement.handler.body);
        return statement.finalizer ? visitStatement(statement.finalizer) : undefined;
      default:
        return;
    }
  };
  if (fn.body.type === AST_NODE_TYPES.BlockStatement) visitStatement(fn.body);
  else visitExpression(fn.body, false);
  return steps;
}
