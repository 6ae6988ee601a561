import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, unwrapExpression } from '../core/ast';
import { createRule } from '../core/create-rule';
import { programImports } from '../core/module-source';
import { classifyServer, isPortLike, resolveObjectArgument, type ServerKind } from '../server/server-listen';
import { shutdownSteps, type ShutdownStep } from '../shutdown/shutdown-steps';
import { SHUTDOWN_SIGNALS, getSignalRegistration, type SignalRegistration } from '../shutdown/signal-handler';

export type Options = [
  {
    /** Report a module that starts a server and registers no SIGTERM/SIGINT handler at all. */
    requireSignalHandler?: boolean;
  },
];

export type MessageIds =
  | 'neverClosesServer'
  | 'exitBeforeClose'
  | 'disconnectBeforeClose'
  | 'serverNotKept'
  | 'missingSignal'
  | 'noSignalHandler';

/** Libraries that own the whole shutdown sequence (drain, close, exit) when a module uses them. */
const SHUTDOWN_LIBRARIES = ['http-terminator', 'stoppable', '@godaddy/terminus', 'close-with-grace', 'lightship'];
/** Servers whose own `close()` returns a promise that resolves once requests have drained. */
const PROMISE_CLOSE_KINDS: ReadonlySet<ServerKind> = new Set(['fastify', 'nest-fastify', 'nest', 'hapi']);
const NODE_SERVER_KINDS: ReadonlySet<ServerKind> = new Set(['express', 'koa', 'node-http']);

export default createRule<Options, MessageIds>({
  name: 'shutdown-must-close-server',
  meta: {
    defaultOptions: [{ requireSignalHandler: false }],
    type: 'problem',
    docs: {
      description: 'Require SIGTERM/SIGINT handlers to stop the HTTP server and let in-flight requests finish before disconnecting and exiting',
      recommended: true,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          requireSignalHandler: {
            type: 'boolean',
            description: 'Also report a module that starts a server and handles neither SIGTERM nor SIGINT (on in `strict`).',
          },
        },
      },
    ],
    messages: {
      neverClosesServer:
        'This {{signal}} handler never stops the HTTP server, so every request in flight during a deploy is cut (ECONNRESET, "Connection reset by peer"). Close the server and wait for it before disconnecting and exiting (`deploy-safe fix` writes the routine).',
      exitBeforeClose:
        '`process.exit()` runs before the server has finished closing, which kills the requests it was draining (ECONNRESET on every deploy). Exit in the close callback or after awaiting the close.',
      disconnectBeforeClose:
        'The database is disconnected while the server still accepts and serves requests, so in-flight requests fail their queries during every deploy. Stop the server first, then disconnect.',
      serverNotKept:
        'The server returned by `listen()` is thrown away, so the shutdown handler cannot close it and in-flight requests are cut on every deploy. Keep it: `const server = {{callee}}(…)`.',
      missingSignal:
        'Only {{handled}} is handled: Fly sends SIGINT, Docker, Kubernetes, Railway, Render and Heroku send SIGTERM, and an unhandled one kills the process mid-request. Register the same shutdown for {{missing}}.',
      noSignalHandler:
        'This module starts a server but handles neither SIGTERM nor SIGINT, so every deploy kills it mid-request (Node as PID 1 does not even exit on SIGTERM by itself). Close the server on both signals.',
    },
  },
  create(context, [{ requireSignalHandler = false }]) {
    const { sourceCode } = context;
    // Cheap bail-out: a file that never mentions a signal and cannot be asked to have one.
    if (!requireSignalHandler && !/SIG(?:TERM|INT)/.test(sourceCode.text)) return {};

    const registrations: SignalRegistration[] = [];
    const serverStarts: { call: TSESTree.CallExpression; kind: ServerKind; discarded: boolean }[] = [];
    let delegatesShutdown = false;

    function startsServer(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression, scope: TSESLint.Scope.Scope): ServerKind | undefined {
      const method = getPropertyName(callee);
      const kind = classifyServer(callee.object, scope, sourceCode.ast);
      if (method === 'start') return kind === 'hapi' ? kind : undefined;
      if (method !== 'listen') return undefined;
      if (kind !== 'unknown' && kind !== 'vite') return kind;
      const [first] = call.arguments;
      if (!first) return undefined;
      const options = resolveObjectArgument(first, scope);
      if (options) return options.object.properties.some((property) => property.type === AST_NODE_TYPES.Property && getPropertyName(property) === 'port') ? kind : undefined;
      return isPortLike(first, scope) ? kind : undefined;
    }

    function isDiscarded(call: TSESTree.CallExpression): boolean {
      let node: TSESTree.Node = call;
      while (node.parent?.type === AST_NODE_TYPES.AwaitExpression || node.parent?.type === AST_NODE_TYPES.ChainExpression) node = node.parent;
      return node.parent?.type === AST_NODE_TYPES.ExpressionStatement;
    }

    /** `server.listen()` on a variable that already holds the server: nothing is lost by ignoring the result. */
    function listensOnKeptServer(call: TSESTree.CallExpression, kind: ServerKind): boolean {
      const callee = call.callee as TSESTree.MemberExpression;
      if (getPropertyName(callee) !== 'listen') return true;
      const receiver = unwrapExpression(callee.object);
      if (receiver.type !== AST_NODE_TYPES.Identifier && receiver.type !== AST_NODE_TYPES.MemberExpression) return false;
      return kind === 'node-http' || (kind === 'unknown' && /server/i.test(sourceCode.getText(receiver)));
    }

    function checkHandler(registration: SignalRegistration, scope: TSESLint.Scope.Scope): void {
      const signal = registration.signals.join('/');
      if (!registration.handler) return; // defined in another module: cannot see what it does
      const steps = shutdownSteps(registration.handler, scope);
      if (steps.some((step) => step.kind === 'delegated')) return;
      const closeIndex = steps.findIndex((step) => step.kind === 'close');
      if (closeIndex === -1) {
        context.report({ node: registration.call.callee, messageId: 'neverClosesServer', data: { signal } });
        return;
      }
      const close = steps[closeIndex] as Extract<ShutdownStep, { kind: 'close' }>;
      const disconnectFirst = steps.slice(0, closeIndex).find((step) => step.kind === 'disconnect');
      if (disconnectFirst) context.report({ node: disconnectFirst.node, messageId: 'disconnectBeforeClose' });
      if (close.exitsInCallback) return;
      const closeKind = classifyServer(close.receiver, scope, sourceCode.ast);
      const closeWaits =
        (close.awaited && (close.hasCallback || !NODE_SERVER_KINDS.has(closeKind))) ||
        (close.awaited && PROMISE_CLOSE_KINDS.has(closeKind));
      if (closeWaits) return;
      const exitAfter = steps.slice(closeIndex + 1).find((step) => step.kind === 'exit');
      if (exitAfter) context.report({ node: exitAfter.node, messageId: 'exitBeforeClose' });
    }

    return {
      CallExpression(node) {
        const callee = unwrapExpression(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = getPropertyName(callee);
        if (method === 'enableShutdownHooks') {
          delegatesShutdown = true;
          return;
        }
        const scope = sourceCode.getScope(node);
        if (method === 'listen' || method === 'start') {
          const kind = startsServer(node, callee, scope);
          if (kind) serverStarts.push({ call: node, kind, discarded: isDiscarded(node) });
          return;
        }
        const registration = getSignalRegistration(node, scope);
        if (registration) registrations.push(registration);
      },
      'Program:exit'() {
        if (delegatesShutdown || serverStarts.length === 0 || programImports(sourceCode.ast, SHUTDOWN_LIBRARIES)) return;
        if (registrations.length === 0) {
          if (requireSignalHandler) context.report({ node: serverStarts[0].call, messageId: 'noSignalHandler' });
          return;
        }
        for (const registration of registrations) checkHandler(registration, sourceCode.getScope(registration.call));
        const handled = new Set(registrations.flatMap((registration) => registration.signals));
        const missing = SHUTDOWN_SIGNALS.filter((signal) => !handled.has(signal));
        if (missing.length > 0) {
          context.report({ node: registrations[0].call.callee, messageId: 'missingSignal', data: { handled: [...handled].join(' and '), missing: missing.join(' and ') } });
        }
        for (const start of serverStarts) {
          if (start.discarded && !PROMISE_CLOSE_KINDS.has(start.kind) && !listensOnKeptServer(start.call, start.kind)) {
            context.report({ node: start.call, messageId: 'serverNotKept', data: { callee: sourceCode.getText(start.call.callee) } });
          }
        }
      },
    };
  },
});
