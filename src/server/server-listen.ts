import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findProperty, getPropertyName, getStaticString, resolveInitializer, unwrapExpression } from '../core/ast';
import { getImportBinding, getModuleSource, getRequiredModule, programImports, stripNodePrefix } from '../core/module-source';

/** Text every code file with a server this plugin knows contains: the rule's and the codemod's cheap bail-out. */
export const MIGHT_START_SERVER = /\.listen\s*\(|hapi|@hono\/node-server/i;

type Scope = TSESLint.Scope.Scope;

/**
 * Which server a `listen()` belongs to, as far as the file shows. What matters is the default host:
 * Fastify (and Nest on FastifyAdapter, and Vite) bind 127.0.0.1 when none is given; Node's `net` and
 * everything built on it (Express, Koa, Hapi, Nest on Express) bind `::`.
 */
export type ServerKind = 'fastify' | 'nest-fastify' | 'vite' | 'nest' | 'express' | 'koa' | 'node-http' | 'hapi' | 'hono' | 'unknown';

export const LOOPBACK_DEFAULT_KINDS: ReadonlySet<ServerKind> = new Set(['fastify', 'nest-fastify', 'vite']);

export const SERVER_KIND_NAMES: Record<ServerKind, string> = {
  fastify: 'Fastify',
  'nest-fastify': 'NestJS on FastifyAdapter',
  vite: 'Vite',
  nest: 'NestJS',
  express: 'Express',
  koa: 'Koa',
  'node-http': 'node:http',
  hapi: 'Hapi',
  hono: "Hono's `serve()` (@hono/node-server)",
  unknown: 'This server',
};

const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|0:0:0:0:0:0:0:1|::ffff:127\.0\.0\.1)$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host.trim());
}

/** The server kind of the receiver of `.listen()`, from how it was created in this file. */
export function classifyServer(receiver: TSESTree.Node, scope: Scope, program: TSESTree.Program): ServerKind {
  const kind = classifyExpression(receiver, scope, 0);
  if (kind !== 'unknown') return kind;
  // A server built in another module: the file's own imports are the best evidence left.
  if (programImports(program, ['@nestjs/platform-fastify'])) return 'nest-fastify';
  if (programImports(program, ['fastify'])) return 'fastify';
  return 'unknown';
}

function classifyExpression(node: TSESTree.Node, scope: Scope, depth: number): ServerKind {
  let expression = unwrapExpression(node);
  if (expression.type === AST_NODE_TYPES.AwaitExpression) expression = unwrapExpression(expression.argument);

  if (expression.type === AST_NODE_TYPES.Identifier) {
    if (depth >= 4) return 'unknown';
    const init = resolveInitializer(expression, scope);
    if (init) return classifyExpression(init, scope, depth + 1);
    // `let server; … server = http.createServer(…)`: every value the variable is given, when they agree.
    const values = assignedValues(expression, scope);
    if (values.length === 0) return 'unknown';
    const kinds = new Set(values.map((value) => classifyExpression(value, scope, depth + 1)));
    return kinds.size === 1 ? [...kinds][0] : 'unknown';
  }
  if (expression.type === AST_NODE_TYPES.NewExpression) {
    const source = calleeModule(expression.callee, scope);
    if (source === 'koa') return 'koa';
    if (source === 'http' || source === 'https' || source === 'http2') return 'node-http';
    if (source === '@hapi/hapi' || source === 'hapi') return 'hapi';
    return 'unknown';
  }
  if (expression.type !== AST_NODE_TYPES.CallExpression) return 'unknown';

  const callee = unwrapExpression(expression.callee);
  // `const server = app.listen(...)`: the server of that app
  if (callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(callee) === 'listen') {
    return classifyExpression(callee.object, scope, depth + 1);
  }
  // `require('fastify')()` and `require('express')()`
  const requiredDirectly = getRequiredModule(callee);
  const source = requiredDirectly ?? calleeModule(callee, scope);
  const calleeName =
    callee.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(callee) : callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined;

  if (source === 'fastify') return 'fastify';
  if (source === 'express') return 'express';
  if (source === 'vite' && (calleeName === 'createServer' || calleeName === 'preview')) return 'vite';
  if ((source === 'http' || source === 'https' || source === 'http2') && calleeName?.startsWith('create')) return 'node-http';
  if ((source === '@hapi/hapi' || source === 'hapi') && calleeName === 'server') return 'hapi';
  if (source === '@nestjs/core' && calleeName === 'create') {
    return isFastifyNestApp(expression, scope) ? 'nest-fastify' : 'nest';
  }
  return 'unknown';
}

/** The initialiser and every `name = value` assignment of a `let`/`var` declared in this file. */
function assignedValues(identifier: TSESTree.Identifier, scope: Scope): TSESTree.Expression[] {
  const variable = ASTUtils.findVariable(scope, identifier);
  const definition = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || definition?.node.type !== AST_NODE_TYPES.VariableDeclarator) return [];
  const values: TSESTree.Expression[] = definition.node.init ? [definition.node.init] : [];
  for (const reference of variable.references) {
    if (!reference.isWrite() || reference.init) continue;
    const assignment = reference.identifier.parent;
    if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.operator !== '=' || assignment.left !== reference.identifier) return [];
    values.push(assignment.right);
  }
  return values;
}

/** `NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter())` */
function isFastifyNestApp(call: TSESTree.CallExpression, scope: Scope): boolean {
  const typeArgument = call.typeArguments?.params[0];
  if (
    typeArgument?.type === AST_NODE_TYPES.TSTypeReference &&
    typeArgument.typeName.type === AST_NODE_TYPES.Identifier &&
    typeArgument.typeName.name === 'NestFastifyApplication'
  ) {
    return true;
  }
  return call.arguments.some((argument) => {
    const value = unwrapExpression(argument);
    return (
      value.type === AST_NODE_TYPES.NewExpression &&
      calleeModule(value.callee, scope) === '@nestjs/platform-fastify'
    );
  });
}

/** The module the callee comes from: `express()` → 'express', `http.createServer` → 'http'. */
function calleeModule(callee: TSESTree.Node, scope: Scope): string | undefined {
  let base = unwrapExpression(callee);
  while (base.type === AST_NODE_TYPES.MemberExpression) base = unwrapExpression(base.object);
  if (base.type !== AST_NODE_TYPES.Identifier) return undefined;
  const source = getModuleSource(base, scope);
  return source === undefined ? undefined : stripNodePrefix(source);
}

/** Whether `node` is Hapi's server factory: `Hapi.server(...)`, `new Hapi.Server(...)`, `server(...)` from '@hapi/hapi'. */
export function isHapiServerFactory(node: TSESTree.CallExpression | TSESTree.NewExpression, scope: Scope): boolean {
  const callee = unwrapExpression(node.callee);
  const name =
    callee.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(callee) : callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined;
  if (name !== 'server' && name !== 'Server') return false;
  const source = calleeModule(callee, scope);
  return source === '@hapi/hapi' || source === 'hapi';
}

const PORT_NAME = /port/i;
const NUMBER_PARSERS = new Set(['Number', 'parseInt', 'parseFloat']);

/**
 * Whether an argument reads as a TCP port: a number, a numeric string, a name containing "port"
 * (`PORT`, `config.port`, `process.env.APP_PORT`), or a conversion or fallback of one. A string that is
 * not a number is a Unix socket path or a channel name, and anything else could be a handle.
 */
/**
 * Port `0`: the OS picks a free port. Only tests and tools do that; a service behind a platform's
 * proxy must listen on the port it is given, so such a server is never the one users reach.
 */
export function isEphemeralPort(node: TSESTree.Node | undefined): boolean {
  if (!node) return false;
  const expression = unwrapExpression(node);
  return expression.type === AST_NODE_TYPES.Literal && (expression.value === 0 || expression.value === '0');
}

export function isPortLike(node: TSESTree.Node, scope: Scope, depth = 0): boolean {
  const expression = unwrapExpression(node);
  switch (expression.type) {
    case AST_NODE_TYPES.Literal:
      return typeof expression.value === 'number' || (typeof expression.value === 'string' && /^\d+$/.test(expression.value));
    case AST_NODE_TYPES.Identifier: {
      if (PORT_NAME.test(expression.name)) return true;
      const init = depth < 4 ? resolveInitializer(expression, scope) : undefined;
      return init ? isPortLike(init, scope, depth + 1) : false;
    }
    case AST_NODE_TYPES.MemberExpression: {
      const name = getPropertyName(expression);
      return name !== undefined && PORT_NAME.test(name);
    }
    case AST_NODE_TYPES.UnaryExpression:
      return expression.operator === '+' && isPortLike(expression.argument, scope, depth);
    case AST_NODE_TYPES.LogicalExpression:
      return isPortLike(expression.left, scope, depth) || isPortLike(expression.right, scope, depth);
    case AST_NODE_TYPES.ConditionalExpression:
      return isPortLike(expression.consequent, scope, depth) || isPortLike(expression.alternate, scope, depth);
    case AST_NODE_TYPES.CallExpression: {
      const callee = unwrapExpression(expression.callee);
      const name =
        callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(callee) : undefined;
      if (name && NUMBER_PARSERS.has(name)) {
        return expression.arguments[0] !== undefined && isPortLike(expression.arguments[0], scope, depth);
      }
      if (name && PORT_NAME.test(name)) return true;
      // config.get('port'), configService.get<number>('PORT')
      const key = expression.arguments[0] && getStaticString(expression.arguments[0], scope);
      return key !== undefined && PORT_NAME.test(key);
    }
    default:
      return false;
  }
}

/** The options object of a listen call or Hapi factory, inline or through a `const` in the same file. */
export function resolveObjectArgument(
  node: TSESTree.Node | undefined,
  scope: Scope,
): { object: TSESTree.ObjectExpression; inline: boolean } | undefined {
  if (!node) return undefined;
  const expression = unwrapExpression(node);
  if (expression.type === AST_NODE_TYPES.ObjectExpression) return { object: expression, inline: true };
  const init = resolveInitializer(expression, scope);
  const value = init && unwrapExpression(init);
  return value?.type === AST_NODE_TYPES.ObjectExpression ? { object: value, inline: false } : undefined;
}

export { findProperty };

/**
 * `serve({ fetch: app.fetch, port })` of @hono/node-server (also `nodeServer.serve(…)`): it calls
 * `server.listen(port, options.hostname)`, so without `hostname` Node's default (measured on 1.19 and
 * 2.1: `::`, all interfaces).
 */
export function isHonoNodeServe(call: TSESTree.CallExpression, scope: Scope): boolean {
  const callee = unwrapExpression(call.callee);
  const name =
    callee.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(callee) : callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined;
  if (name === undefined) return false;
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const definition = ASTUtils.findVariable(scope, callee)?.defs[0];
    const binding = definition && getImportBinding(definition);
    if (binding) return binding.module === '@hono/node-server' && (binding.imported === 'serve' || binding.imported === 'default');
    // `const { serve } = require('@hono/node-server')`
    return name === 'serve' && calleeModule(callee, scope) === '@hono/node-server';
  }
  return name === 'serve' && calleeModule(callee, scope) === '@hono/node-server';
}

/**
 * A server that closes itself once it has done its one job, never a service behind a platform's proxy:
 * from its own request handler (a local OAuth callback, opened to receive one redirect, then closed), or
 * from the callback of this `listen()` (a probe for a free port).
 */
export function closesFromItsHandler(listenCall: TSESTree.CallExpression, receiver: TSESTree.Node, scope: Scope): boolean {
  const servers: TSESLint.Scope.Variable[] = [];
  const add = (node: TSESTree.Node | undefined | null): void => {
    const expression = node && unwrapExpression(node);
    if (expression?.type !== AST_NODE_TYPES.Identifier) return;
    const variable = ASTUtils.findVariable(scope, expression);
    if (variable && !servers.includes(variable)) servers.push(variable);
  };
  add(receiver);
  // `const server = app.listen(…)`, `server = app.listen(…)`
  let holder: TSESTree.Node | undefined = listenCall.parent;
  if (holder?.type === AST_NODE_TYPES.AwaitExpression) holder = holder.parent;
  if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init) add(holder.id);
  if (holder?.type === AST_NODE_TYPES.AssignmentExpression) add(holder.left);
  return servers.some((variable) =>
    variable.references.some((reference) => {
      const member = reference.identifier.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== reference.identifier || getPropertyName(member) !== 'close') return false;
      const call = member.parent;
      return call?.type === AST_NODE_TYPES.CallExpression && call.callee === member && (isInsideRequestHandler(call) || isInsideCallbackOf(listenCall, call));
    }),
  );
}

// GET: a redirect lands with GET; a POST `/shutdown` route of a deployed service is not a one-shot receiver.
function isInsideCallbackOf(listenCall: TSESTree.CallExpression, node: TSESTree.Node): boolean {
  for (let current = node.parent; current && current !== listenCall; current = current.parent) {
    if ((current.type === AST_NODE_TYPES.ArrowFunctionExpression || current.type === AST_NODE_TYPES.FunctionExpression) && current.parent === listenCall) return true;
  }
  return false;
}

const ROUTE_METHODS = new Set(['get', 'all', 'use']);

/** Inside a function given to `createServer(fn)`, `server.on('request', fn)` or a route (`app.get('/callback', fn)`). */
function isInsideRequestHandler(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type !== AST_NODE_TYPES.ArrowFunctionExpression && current.type !== AST_NODE_TYPES.FunctionExpression) continue;
    const call = current.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(current)) continue;
    const callee = unwrapExpression(call.callee);
    const name =
      callee.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(callee) : callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined;
    if (name === 'createServer') return true;
    if (callee.type !== AST_NODE_TYPES.MemberExpression || name === undefined) continue;
    const event = call.arguments[0];
    if (name === 'on' && event?.type === AST_NODE_TYPES.Literal && event.value === 'request') return true;
    if (ROUTE_METHODS.has(name) && current.params.length >= 2) return true;
  }
  return false;
}

/** `process.env.X` (also `process.env['X']`): the variable's name. */
export function envVariableRead(node: TSESTree.Node): string | undefined {
  const expression = unwrapExpression(node);
  if (expression.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const env = unwrapExpression(expression.object);
  if (env.type !== AST_NODE_TYPES.MemberExpression || getPropertyName(env) !== 'env') return undefined;
  const processObject = unwrapExpression(env.object);
  if (processObject.type !== AST_NODE_TYPES.Identifier || processObject.name !== 'process') return undefined;
  return getPropertyName(expression);
}

/**
 * A host read from configuration, as far as it decides where the server binds:
 * `process.env.HOST || 'localhost'` (inline, or through a `const`), `process.env.HOSTNAME`, or a bare
 * `process.env.HOST` (unset on a platform: the framework's own default).
 */
interface ConfiguredHost {
  /** The expression that decides the host: the argument itself, or the initialiser of the `const` it names. */
  expression: TSESTree.Expression;
  /** The configurable part: the whole expression, or the left side of a loopback fallback. */
  configured: TSESTree.Node;
  /** `|| 'localhost'` / `?? '127.0.0.1'`: the loopback default bound whenever the configured part is unset. */
  loopbackDefault?: { value: string; operator: '||' | '??' };
  /** The configured part is `process.env.HOSTNAME`, which Docker and Kubernetes set to the container's name. */
  readsHostname: boolean;
  /** The `const` the host goes through, and how many other places read it (a log line, a URL). */
  binding?: { declarator: TSESTree.VariableDeclarator; otherReads: number };
}

export function readConfiguredHost(node: TSESTree.Node, scope: Scope): ConfiguredHost | undefined {
  const argument = unwrapExpression(node);
  let expression = argument as TSESTree.Expression;
  let binding: ConfiguredHost['binding'];
  if (argument.type === AST_NODE_TYPES.Identifier) {
    const init = resolveInitializer(argument, scope);
    const variable = init && ASTUtils.findVariable(scope, argument);
    if (!init || !variable) return undefined;
    const declarator = variable.defs[0].node as TSESTree.VariableDeclarator;
    const reads = variable.references.filter((reference) => !reference.init && reference.identifier !== argument);
    binding = { declarator, otherReads: reads.length };
    expression = unwrapExpression(init) as TSESTree.Expression;
  }
  let configured: TSESTree.Node = expression;
  let loopbackDefault: ConfiguredHost['loopbackDefault'];
  if (expression.type === AST_NODE_TYPES.LogicalExpression && (expression.operator === '||' || expression.operator === '??')) {
    const value = getStaticString(expression.right, scope);
    if (value !== undefined && isLoopbackHost(value) && getStaticString(expression.left, scope) === undefined) {
      configured = expression.left;
      loopbackDefault = { value, operator: expression.operator };
    }
  }
  const variable = envVariableRead(configured);
  const readsHostname = variable === 'HOSTNAME';
  if (!loopbackDefault && !readsHostname && variable === undefined) return undefined;
  return { expression, configured, loopbackDefault, readsHostname, binding };
}
