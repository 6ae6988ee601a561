import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, unwrapExpression } from '../core/ast';
import { createRule } from '../core/create-rule';
import { getModuleSource, programImports } from '../core/module-source';
import { IGNORE_TEST_AND_SCRIPT_FILES_SCHEMA, isIgnoredFile, TEST_AND_SCRIPT_FILE_GLOBS } from '../core/test-files';
import { classifyServer, closesFromItsHandler, isPortLike, resolveObjectArgument, type ServerKind } from '../server/server-listen';
import { childSignalling } from '../shutdown/child-processes';
import { DEFAULT_DEADLINE_MS, freeName, routine } from '../shutdown/routine';
import { packageServersFor, runsHttpServer, type PackageServers } from '../shutdown/package-server';
import { NOT_THE_SERVICE } from '../shutdown/server-module';
import { shutdownSteps, type ShutdownStep } from '../shutdown/shutdown-steps';
import { SHUTDOWN_SIGNALS, getSignalRegistration, type SignalRegistration } from '../shutdown/signal-handler';

export type Options = [
  {
    /** Report a module that starts a server and registers no SIGTERM/SIGINT handler at all. */
    requireSignalHandler?: boolean;
    /**
     * Globs of files the rule skips: tests and scripts by default. A seed or dev script never receives a
     * platform's SIGTERM with requests in flight.
     */
    ignoreFiles?: readonly string[];
  },
];

export type MessageIds =
  | 'neverClosesServer'
  | 'exitBeforeClose'
  | 'disconnectBeforeClose'
  | 'serverNotKept'
  | 'missingSignal'
  | 'noSignalHandler'
  | 'serverElsewhere'
  | 'serverStartedByImport'
  | 'nestShutdownHooks'
  | 'supervisorExitsFirst'
  | 'supervisorMissingSignal';

/** Libraries that own the whole shutdown sequence (drain, close, exit) when a module uses them. */
const SHUTDOWN_LIBRARIES = ['http-terminator', 'stoppable', '@godaddy/terminus', 'close-with-grace', 'lightship'];
/** Servers whose own `close()` returns a promise that resolves once requests have drained. */
const PROMISE_CLOSE_KINDS: ReadonlySet<ServerKind> = new Set(['fastify', 'nest-fastify', 'nest', 'hapi']);
const NODE_SERVER_KINDS: ReadonlySet<ServerKind> = new Set(['express', 'koa', 'node-http']);
/** Imports (type-only ones included) that say the instances of this file are Fastify, Nest or Hapi ones. */
const PROMISE_CLOSE_MODULES = ['fastify', '@nestjs/core', '@nestjs/common', '@nestjs/platform-fastify', '@nestjs/platform-express', '@hapi/hapi', 'hapi'];
const PROMISE_CLOSE_NAME = /fastify|nest|hapi/i;
const PROMISE_CLOSE_TYPE = /Fastify|Nest\w*Application|INestApplication|Hapi/;

/** Imported functions that start the HTTP server: `listen(PORT, cb)`, `startServer()`, `serve({ fetch, port })`. */
const IMPORTED_START = /^(?:listen|serve|start(?:Server|App|Http\w*)|run(?:Server|App)|bootstrap(?:Server)?|launch(?:Server)?|createAndStartServer)$/;

/** How a server instance stops: through its own promise (Fastify, Nest, Hapi) or Node's callback `close()`. */
type CloseStyle = 'promise' | 'node' | 'unknown';

export default createRule<Options, MessageIds>({
  name: 'shutdown-must-close-server',
  meta: {
    defaultOptions: [{ requireSignalHandler: false, ignoreFiles: TEST_AND_SCRIPT_FILE_GLOBS }],
    type: 'problem',
    fixable: 'code',
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
          ignoreFiles: IGNORE_TEST_AND_SCRIPT_FILES_SCHEMA,
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
      nestShutdownHooks:
        'Nothing here handles SIGTERM/SIGINT (no signal handler, no `{{app}}.enableShutdownHooks()`), so a deploy kills the process mid-request and `onModuleDestroy` (the Prisma disconnect) never runs. Drain the HTTP server on both signals, then `await {{app}}.close()` and exit: `enableShutdownHooks()` alone runs those hooks while requests are still being served.',
      serverElsewhere:
        'This {{signal}} handler {{does}} in a module that starts no server, while the package runs one ({{dependency}} in package.json): the server started elsewhere keeps serving while this runs, and its in-flight requests fail or are cut on every deploy. Shut down where the server is started: close it, then disconnect and exit there.',
      serverStartedByImport:
        'This {{signal}} handler {{does}} but never closes the server that `{{callee}}()` from `{{module}}` starts, so the requests in flight during a deploy are cut (ECONNRESET). Make `{{callee}}()` return the server, keep it (`const server = {{callee}}(…)`) and close it here, waiting for the close, before disconnecting and exiting.',
      supervisorExitsFirst:
        "This {{signal}} handler passes the signal to its child processes and exits at once: as the container's main process (PID 1), its exit makes the kernel kill the children before they have finished their in-flight requests. Exit once the children have exited (`child.on('exit', …)`), with their exit code.",
      supervisorMissingSignal:
        "Only {{handled}} is passed on to the child processes, but {{senders}} {{missing}}: as the container's main process, Node ignores a signal it has no handler for, so the children are never told and are killed mid-request at the platform's deadline. Pass {{missing}} on to them the same way.",
    },
  },
  create(context, [{ requireSignalHandler = false, ignoreFiles = TEST_AND_SCRIPT_FILE_GLOBS }]) {
    const { sourceCode } = context;
    // Cheap bail-out: a file that never mentions a signal and cannot be asked to have one.
    if (!requireSignalHandler && !/SIG(?:TERM|INT)|NestFactory/.test(sourceCode.text)) return {};
    if (isIgnoredFile(context.filename, context.cwd, ignoreFiles)) return {};

    const registrations: SignalRegistration[] = [];
    const serverStarts: { call: TSESTree.CallExpression; receiver: TSESTree.Node; kind: ServerKind; discarded: boolean; promised: boolean }[] = [];
    /** `listen(PORT, cb)`, `startServer()`, Hono's `serve({ fetch, port })`: a server started by an imported function. */
    const importedStarts: { call: TSESTree.CallExpression; callee: string; module: string }[] = [];
    let delegatesShutdown = false;
    let packageServers: PackageServers | undefined | null = null;
    const servers = (): PackageServers | undefined => (packageServers === null ? (packageServers = packageServersFor(context.filename)) : packageServers);

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

    function statementOf(call: TSESTree.CallExpression): TSESTree.Node {
      let node: TSESTree.Node = call;
      while (node.parent?.type === AST_NODE_TYPES.AwaitExpression || node.parent?.type === AST_NODE_TYPES.ChainExpression) node = node.parent;
      return node;
    }

    function isDiscarded(call: TSESTree.CallExpression): boolean {
      return statementOf(call).parent?.type === AST_NODE_TYPES.ExpressionStatement;
    }

    /** `await app.listen(…)`, `app.listen(…).then(…)`: a promise-returning listen, which Node's is not. */
    function isPromised(call: TSESTree.CallExpression): boolean {
      if (call.parent?.type === AST_NODE_TYPES.AwaitExpression) return true;
      const parent = call.parent;
      return parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === call && ['then', 'catch', 'finally'].includes(getPropertyName(parent) ?? '');
    }

    /** `server.listen()` on a variable that already holds the server: nothing is lost by ignoring the result. */
    function listensOnKeptServer(call: TSESTree.CallExpression, kind: ServerKind): boolean {
      const callee = call.callee as TSESTree.MemberExpression;
      if (getPropertyName(callee) !== 'listen') return true;
      const receiver = unwrapExpression(callee.object);
      if (receiver.type !== AST_NODE_TYPES.Identifier && receiver.type !== AST_NODE_TYPES.MemberExpression) return false;
      return kind === 'node-http' || (kind === 'unknown' && /server/i.test(sourceCode.getText(receiver)));
    }

    function typeAnnotationText(node: TSESTree.Node, scope: TSESLint.Scope.Scope): string {
      const expression = unwrapExpression(node);
      if (expression.type !== AST_NODE_TYPES.Identifier) return '';
      const definition = ASTUtils.findVariable(scope, expression)?.defs[0];
      const name = definition?.name as TSESTree.Identifier | undefined;
      return name?.typeAnnotation ? sourceCode.getText(name.typeAnnotation) : '';
    }

    /**
     * How the instance a handler closes (or a `listen()` is called on) stops. Fastify, Nest and Hapi close
     * through their own promise, which resolves once requests have drained; Node, Express and Koa servers
     * close through a callback. Evidence, strongest first: how it was created in this file, its name or
     * type annotation, a promise-returning `listen()` on it, this file's imports, the package's dependencies.
     */
    function closeStyleOf(receiver: TSESTree.Node, scope: TSESLint.Scope.Scope): CloseStyle {
      const kind = classifyServer(receiver, scope, sourceCode.ast);
      if (PROMISE_CLOSE_KINDS.has(kind)) return 'promise';
      if (NODE_SERVER_KINDS.has(kind)) return 'node';
      const text = sourceCode.getText(unwrapExpression(receiver));
      const type = typeAnnotationText(receiver, scope);
      if (PROMISE_CLOSE_TYPE.test(type)) return 'promise';
      if (/\b(?:https?\.)?Server\b|Express|Koa/.test(type)) return programImports(sourceCode.ast, ['@hapi/hapi', 'hapi']) ? 'promise' : 'node';
      if (PROMISE_CLOSE_NAME.test(text)) return 'promise';
      if (serverStarts.some((start) => start.promised && sourceCode.getText(unwrapExpression(start.receiver)) === text)) return 'promise';
      if (programImports(sourceCode.ast, PROMISE_CLOSE_MODULES)) return 'promise';
      const dependencies = servers();
      if (dependencies && dependencies.promiseClose.length > 0 && dependencies.nodeServer.length === 0) return 'promise';
      if (dependencies && dependencies.nodeServer.length > 0 && dependencies.promiseClose.length === 0) return 'node';
      return 'unknown';
    }

    /** Reports keyed by place and message, so one handler registered for both signals is reported once, naming both. */
    const pending = new Map<string, { node: TSESTree.Node; messageId: MessageIds; data: Record<string, string>; signals: Set<string> }>();
    function report(node: TSESTree.Node, messageId: MessageIds, signals: readonly string[], data: Record<string, string> = {}): void {
      const key = `${messageId}:${node.range[0]}:${node.range[1]}`;
      const entry = pending.get(key) ?? { node, messageId, data, signals: new Set<string>() };
      for (const signal of signals) entry.signals.add(signal);
      pending.set(key, entry);
    }

    /** One entry per handler function: `process.on('SIGTERM', shutdown); process.on('SIGINT', shutdown)` is one. */
    function groupByHandler(): { registration: SignalRegistration; signals: string[] }[] {
      const groups: { registration: SignalRegistration; signals: string[] }[] = [];
      for (const registration of registrations) {
        const group = registration.handler && groups.find((other) => other.registration.handler === registration.handler);
        if (group) group.signals.push(...registration.signals.filter((signal) => !group.signals.includes(signal)));
        else groups.push({ registration, signals: [...registration.signals] });
      }
      return groups;
    }

    function checkHandler(registration: SignalRegistration, signals: string[], scope: TSESLint.Scope.Scope): void {
      if (!registration.handler) return; // defined in another module: cannot see what it does
      const steps = shutdownSteps(registration.handler, scope);
      if (steps.some((step) => step.kind === 'delegated')) return;
      const closeIndex = steps.findIndex((step) => step.kind === 'close');
      if (closeIndex === -1) {
        report(registration.call.callee, 'neverClosesServer', signals);
        return;
      }
      const close = steps[closeIndex] as Extract<ShutdownStep, { kind: 'close' }>;
      const disconnectFirst = steps.slice(0, closeIndex).find((step) => step.kind === 'disconnect');
      if (disconnectFirst) report(disconnectFirst.node, 'disconnectBeforeClose', signals);
      if (close.exitsInCallback) return;
      const style = closeStyleOf(close.receiver, scope);
      if (close.awaited && (close.hasCallback || style !== 'node')) return;
      const exitAfter = steps.slice(closeIndex + 1).find((step) => step.kind === 'exit');
      if (exitAfter) report(exitAfter.node, 'exitBeforeClose', signals);
    }

    /** A module without a server whose handler exits or disconnects (the Prisma module's own handler, a shutdown helper). */
    function checkHandlerWithoutServer(registration: SignalRegistration, signals: string[], scope: TSESLint.Scope.Scope, importedStart: (typeof importedStarts)[number] | undefined): void {
      if (!registration.handler) return;
      const steps = shutdownSteps(registration.handler, scope);
      if (steps.some((step) => step.kind === 'delegated' || step.kind === 'close')) return;
      const disconnects = steps.some((step) => step.kind === 'disconnect');
      // exit(130) after Ctrl+C, exit(1) on failure: a tool's way out, not a service's shutdown.
      const exits = steps.some((step) => step.kind === 'exit' && (step.node.arguments.length === 0 || /^0$/.test(sourceCode.getText(step.node.arguments[0]))));
      if (!disconnects && !exits) return;
      const does = disconnects && exits ? 'disconnects the database and exits the process' : disconnects ? 'disconnects the database' : 'exits the process';
      if (importedStart) {
        report(registration.call.callee, 'serverStartedByImport', signals, { does, callee: importedStart.callee, module: importedStart.module });
        return;
      }
      const dependencies = servers();
      if (!dependencies || !runsHttpServer(dependencies)) return;
      // A supervisor's children close their own servers; what is left to get wrong is checked in checkSupervisor.
      if (childSignalling(registration.handler, scope)) return;
      report(registration.call.callee, 'serverElsewhere', signals, { does, dependency: [...dependencies.nodeServer, ...dependencies.promiseClose][0] });
    }

    /**
     * A supervisor (a start script that runs the backend and a proxy as child processes) in a package that runs
     * an HTTP server: its handlers pass the signal on. Measured with the supervisor as PID 1 of a PID namespace
     * and a child that drains on the signal: exiting right after `child.kill(signal)` cut the child's request in
     * flight (empty reply, 0.3 s) where exiting on the child's `exit` event let it finish (200 after 1.5 s); a
     * SIGTERM it had no handler for was ignored, the children kept serving until SIGKILL.
     */
    function checkSupervisor(groups: { registration: SignalRegistration; signals: string[] }[]): void {
      const supervising = groups.filter(({ registration }) => registration.handler && childSignalling(registration.handler, sourceCode.getScope(registration.call)));
      if (supervising.length === 0 || !runsHttpServer(servers())) return;
      for (const { registration, signals } of supervising) {
        const scope = sourceCode.getScope(registration.call);
        if (childSignalling(registration.handler!, scope)!.waits) continue;
        const exit = shutdownSteps(registration.handler!, scope).find((step) => step.kind === 'exit');
        if (exit) report(exit.node, 'supervisorExitsFirst', signals);
      }
      const handled = new Set(registrations.flatMap((registration) => registration.signals));
      const missing = SHUTDOWN_SIGNALS.filter((signal) => !handled.has(signal));
      if (missing.length === 0) return;
      // `handled` is never empty here: only SIGTERM/SIGINT registrations are collected.
      const senders = missing.includes('SIGTERM') ? 'Docker, Kubernetes, Railway, Render and Heroku send' : 'Fly sends';
      report(supervising[0].registration.call.callee, 'supervisorMissingSignal', [], { handled: [...handled].join(' and '), missing: missing.join(' and '), senders });
    }

    /**
     * `await app.listen(3000)` in a Nest bootstrap with no shutdown at all: the fix writes the drain routine
     * after it. Not `enableShutdownHooks()`: measured on Nest 11 (Express), its close() runs onModuleDestroy
     * 0.8 s before the last in-flight response, waits for idle keep-alive sockets (6.8 s to exit) and ends
     * the process by re-raising the signal. The same on Nest 11 with FastifyAdapter (onModuleDestroy 0.8 s
     * before the last response, and the process still up 48 s after the signal); the routine, which drains
     * `app.getHttpServer()` (Fastify's Node server) before app.close(), exits 0 in 0.8 s there too.
     */
    function reportNestWithoutHooks(start: { call: TSESTree.CallExpression; receiver: TSESTree.Node; kind: ServerKind }): void {
      const app = unwrapExpression(start.receiver);
      const statement = statementOf(start.call).parent;
      const name = app.type === AST_NODE_TYPES.Identifier ? app.name : sourceCode.getText(app);
      const container = statement?.parent;
      const fixable =
        (start.kind === 'nest' || start.kind === 'nest-fastify') &&
        app.type === AST_NODE_TYPES.Identifier &&
        statement?.type === AST_NODE_TYPES.ExpressionStatement &&
        (container?.type === AST_NODE_TYPES.Program || container?.type === AST_NODE_TYPES.BlockStatement);
      context.report({
        node: start.call,
        messageId: 'nestShutdownHooks',
        data: { app: name },
        fix: fixable
          ? (fixer) => {
              const text = sourceCode.text;
              const indent = /^\s*/.exec(sourceCode.lines[statement.loc.start.line - 1])![0];
              const quote = /(['"])@nestjs\/core\1/.exec(text)?.[1] ?? "'";
              const written = routine({
                typescript: /\.(?:ts|tsx|mts|cts)$/.test(context.filename),
                server: name,
                stop: 'nest',
                announce: [],
                cleanup: [],
                indent,
                deadline: DEFAULT_DEADLINE_MS,
                quote,
                shutdownName: freeName(text, 'shutdown'),
                guardName: freeName(text, 'shuttingDown'),
              });
              const newline = text.includes('\r\n') ? '\r\n' : '\n';
              return fixer.insertTextAfter(statement, `\n\n${indent}${written}`.replace(/\n/g, newline));
            }
          : null,
      });
    }

    return {
      CallExpression(node) {
        const callee = unwrapExpression(node.callee);
        if (callee.type === AST_NODE_TYPES.Identifier && IMPORTED_START.test(callee.name)) {
          const module = getModuleSource(callee, sourceCode.getScope(node));
          if (module !== undefined) importedStarts.push({ call: node, callee: callee.name, module });
          return;
        }
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = getPropertyName(callee);
        // Nest's `app.enableShutdownHooks()` (optionally with its signal list); not Prisma 4's
        // `prismaService.enableShutdownHooks(app)`, which only closes the app on `beforeExit` and leaves
        // SIGTERM to kill the process mid-request.
        if (method === 'enableShutdownHooks') {
          const [first] = node.arguments;
          if (!first || first.type === AST_NODE_TYPES.ArrayExpression) delegatesShutdown = true;
          return;
        }
        const scope = sourceCode.getScope(node);
        if (method === 'listen' || method === 'start') {
          const kind = startsServer(node, callee, scope);
          // A free-port probe or a local OAuth callback closes itself: nothing a shutdown has to drain.
          if (kind && closesFromItsHandler(node, callee.object, scope)) return;
          if (kind) serverStarts.push({ call: node, receiver: callee.object, kind, discarded: isDiscarded(node), promised: isPromised(node) });
          return;
        }
        const registration = getSignalRegistration(node, scope);
        if (registration) registrations.push(registration);
      },
      'Program:exit'() {
        if (delegatesShutdown || programImports(sourceCode.ast, SHUTDOWN_LIBRARIES)) return;
        if (serverStarts.length === 0) {
          if (registrations.length === 0 || NOT_THE_SERVICE.test(context.filename.replace(/\\/g, '/'))) return;
          const groups = groupByHandler();
          for (const { registration, signals } of groups) checkHandlerWithoutServer(registration, signals, sourceCode.getScope(registration.call), importedStarts[0]);
          if (importedStarts.length === 0) checkSupervisor(groups);
        } else if (registrations.length === 0) {
          const nest = serverStarts.filter((start) => start.kind === 'nest' || start.kind === 'nest-fastify');
          for (const start of nest) reportNestWithoutHooks(start);
          if (requireSignalHandler && nest.length === 0) context.report({ node: serverStarts[0].call, messageId: 'noSignalHandler' });
          return;
        } else {
          for (const { registration, signals } of groupByHandler()) checkHandler(registration, signals, sourceCode.getScope(registration.call));
          const handled = new Set(registrations.flatMap((registration) => registration.signals));
          const missing = SHUTDOWN_SIGNALS.filter((signal) => !handled.has(signal));
          if (missing.length > 0) {
            report(registrations[0].call.callee, 'missingSignal', [], { handled: [...handled].join(' and '), missing: missing.join(' and ') });
          }
          for (const start of serverStarts) {
            if (!start.discarded || start.promised || PROMISE_CLOSE_KINDS.has(start.kind) || listensOnKeptServer(start.call, start.kind)) continue;
            if (closeStyleOf(start.receiver, sourceCode.getScope(start.call)) === 'promise') continue;
            report(start.call, 'serverNotKept', [], { callee: sourceCode.getText(start.call.callee) });
          }
        }
        for (const { node, messageId, data, signals } of pending.values()) {
          context.report({ node, messageId, data: { ...data, signal: [...signals].join('/') } });
        }
      },
    };
  },
});
