import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, getStaticString, unwrapExpression, walk } from '../core/ast';
import { isFunctionNode, resolveFunction } from './signal-handler';

type Scope = TSESLint.Scope.Scope;

/** What a signal handler does to the processes it started. */
export interface ChildSignalling {
  /** `child.kill(signal)`, `process.kill(child.pid, signal)`: the calls that pass the signal on. */
  kills: TSESTree.CallExpression[];
  /** Whether the handler waits before it can exit: an `await`, a `.then()`, an `exit`/`close` listener, a timer. */
  waits: boolean;
}

const EXIT_EVENTS = new Set(['exit', 'close']);
const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

function isProcess(node: TSESTree.Node): boolean {
  const expression = unwrapExpression(node);
  return expression.type === AST_NODE_TYPES.Identifier && expression.name === 'process';
}

/** `process.pid`: `process.kill(process.pid, 'SIGTERM')` raises the signal on this process, not a child. */
function isOwnPid(node: TSESTree.Node): boolean {
  const expression = unwrapExpression(node);
  return expression.type === AST_NODE_TYPES.MemberExpression && isProcess(expression.object) && getPropertyName(expression) === 'pid';
}

/**
 * Whether a signal handler passes the signal on to child processes (`child.kill(signal)`,
 * `process.kill(child.pid, signal)`): the handler of a supervisor (a start script running the backend and a
 * proxy, a dev runner), whose children close their own servers. Undefined when it signals none. The
 * handler's body and the functions of this file it calls (two levels) are read, loops and callbacks included.
 */
export function childSignalling(fn: TSESTree.Node, scope: Scope): ChildSignalling | undefined {
  const kills: TSESTree.CallExpression[] = [];
  let waits = false;
  const seen = new Set<TSESTree.Node>();
  const visit = (node: TSESTree.Node, depth: number): void => {
    if (seen.has(node)) return;
    seen.add(node);
    walk(node, (current) => {
      if (current.type === AST_NODE_TYPES.AwaitExpression) waits = true;
      if (current.type !== AST_NODE_TYPES.CallExpression) return;
      const callee = unwrapExpression(current.callee);
      if (callee.type === AST_NODE_TYPES.Identifier) {
        if (callee.name === 'setTimeout' || callee.name === 'once') waits = true;
        const local = depth < 2 ? resolveFunction(callee, scope) : undefined;
        if (local) visit(local, depth + 1);
        return;
      }
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
      const method = getPropertyName(callee);
      if (method === 'kill') {
        const [target] = current.arguments;
        if (!isProcess(callee.object) || (target && !isOwnPid(target))) kills.push(current);
        return;
      }
      if (method === 'then' || method === 'finally') waits = true;
      if (method && LISTEN_METHODS.has(method) && !isProcess(callee.object)) {
        const event = current.arguments[0] && getStaticString(current.arguments[0], scope);
        if (event && EXIT_EVENTS.has(event)) waits = true;
      }
    });
  };
  if (!isFunctionNode(fn)) return undefined;
  visit(fn, 0);
  return kills.length > 0 ? { kills, waits } : undefined;
}
