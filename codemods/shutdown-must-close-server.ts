import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { ASTPath, CallExpression, Collection, JSCodeshift, Node } from 'jscodeshift';
import { nearestPackageDirectory } from '../src/core/project-root';
import { packageServersFor, runsHttpServer } from '../src/shutdown/package-server';
import { DATA_RECEIVER, SERVER_RECEIVER } from '../src/shutdown/shutdown-steps';
import { applyEdits, offsets as at, removeStatementEdit, type TextEdit as Edit } from './lib/text-edits';
import rule from '../src/rules/shutdown-must-close-server';
import { createTransform, leaveUndecodableFilesAlone, type TransformContext } from './lib/transform';

const SIGNALS = ['SIGTERM', 'SIGINT'];
const REGISTRATION_METHODS = new Set(['on', 'once', 'addListener']);
/**
 * The hard deadline, per signal, below the platform's SIGKILL: Fly sends SIGINT and kills 5 s later,
 * Docker sends SIGTERM and kills 10 s later (Kubernetes, Heroku and Render wait 30 s).
 */
const DEFAULT_DEADLINE_MS = { SIGTERM: 8000, SIGINT: 4000 };

/** A node of either parser jscodeshift uses here, read by the offsets and fields both have. */
interface AnyNode {
  type: string;
  start: number;
  end: number;
  loc?: { start: { line: number } };
  body?: AnyNode | AnyNode[];
  expression?: AnyNode;
  argument?: AnyNode;
  name?: string;
  value?: unknown;
  declarations?: unknown[];
  [field: string]: unknown;
}
type Stop = 'node' | 'fastify' | 'nest' | 'hapi';

/** Thrown while reading a handler: the shape is not one this codemod rewrites, and why. */
class Unsupported extends Error {}

interface Unit {
  /** The top-level statement that registers the handler (`process.on(…)`, a `forEach`, a `for…of`). */
  statement: AnyNode;
  signals: string[];
  /** The function that runs: the inline handler, or the function of this file it calls. */
  handler: AnyNode;
  /** The name the handler gives the signal it receives, if any. */
  signalParameter?: string;
  /** The top-level function definition the handler named, removed when nothing else uses it. */
  definition?: { statement: AnyNode; name: string };
}

/** The reason for a handler that already closes the server, conditionally or inside an expression. */
const CLOSES_ITSELF =
  'the handler already closes the server (conditionally, or inside an expression), which this codemod does not restructure: make it wait for the close (and disconnect after it), and register the same handler for both SIGTERM and SIGINT';

function lineOf(node: unknown): number | undefined {
  return (node as AnyNode).loc?.start.line;
}

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

function indentOf(source: string, offset: number): string {
  return /^[ \t]*/.exec(source.slice(lineStart(source, offset)))![0];
}

/** Re-indents a statement's original text (comments and formatting kept) from `from` to `to`. */
function reindent(text: string, from: string, to: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? to + line : line.startsWith(from) ? to + line.slice(from.length) : line))
    .join('\n');
}

/** A name no identifier of the file uses, outside the statements the rewrite removes. */
function uniqueName(j: JSCodeshift, root: Collection, wanted: string, removed: readonly AnyNode[] = []): string {
  const taken = new Set(
    root
      .find(j.Identifier)
      .nodes()
      .filter((node) => !removed.some((statement) => statement.start <= at(node).start && at(node).end <= statement.end))
      .map((node) => node.name),
  );
  if (!taken.has(wanted)) return wanted;
  for (let suffix = 2; ; suffix++) if (!taken.has(`${wanted}${suffix}`)) return `${wanted}${suffix}`;
}

function isFunction(node: unknown): node is AnyNode & { params: AnyNode[]; body: AnyNode & { body?: AnyNode[] } } {
  const type = (node as AnyNode | undefined)?.type;
  return type === 'ArrowFunctionExpression' || type === 'FunctionExpression' || type === 'FunctionDeclaration';
}

function unwrap(node: AnyNode): AnyNode {
  let current = node as AnyNode & { expression?: AnyNode; argument?: AnyNode; operator?: string };
  while (
    current.type === 'TSAsExpression' ||
    current.type === 'TSNonNullExpression' ||
    current.type === 'ParenthesizedExpression' ||
    current.type === 'AwaitExpression' ||
    (current.type === 'UnaryExpression' && current.operator === 'void')
  ) {
    current = (current.expression ?? current.argument) as typeof current;
  }
  return current;
}

function memberCall(node: AnyNode): { object: AnyNode; method: string; call: AnyNode & { arguments: AnyNode[] } } | undefined {
  const call = unwrap(node) as AnyNode & { callee?: AnyNode & { object?: AnyNode; property?: AnyNode & { name?: string } }; arguments?: AnyNode[] };
  if (call.type !== 'CallExpression' || call.callee?.type !== 'MemberExpression' || call.callee.property?.type !== 'Identifier') return undefined;
  return { object: call.callee.object!, method: call.callee.property.name!, call: call as AnyNode & { arguments: AnyNode[] } };
}

function isProcessExit(node: AnyNode): boolean {
  const member = memberCall(node);
  return member !== undefined && member.method === 'exit' && member.object.type === 'Identifier' && (member.object as { name?: string }).name === 'process';
}

function contains(node: AnyNode, test: (node: AnyNode) => boolean): boolean {
  let found = false;
  const visit = (current: unknown): void => {
    if (found || !current || typeof current !== 'object') return;
    if ('type' in current && typeof (current as AnyNode).type === 'string') {
      if (test(current as AnyNode)) {
        found = true;
        return;
      }
    }
    for (const [key, value] of Object.entries(current)) {
      if (key === 'loc' || key === 'comments' || key === 'leadingComments' || key === 'trailingComments' || key === 'tokens') continue;
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  visit(node);
  return found;
}

function receiverText(source: string, node: AnyNode): string {
  return source.slice(node.start, node.end).replace(/\s+/g, '');
}

/** `server.close(…)`, `app.close()`, `server.stop(…)`: the HTTP server's own close, not a database's. */
function isServerClose(source: string, node: AnyNode): boolean {
  const member = memberCall(node);
  if (!member || !['close', 'stop', 'terminate', 'closeAllConnections', 'closeIdleConnections'].includes(member.method)) return false;
  const receiver = receiverText(source, member.object);
  return !DATA_RECEIVER.test(receiver) && SERVER_RECEIVER.test(receiver.split('.').pop() ?? receiver);
}

/** The SIGTERM/SIGINT names an argument stands for: a literal, a top-level `const`, or a literal list. */
function staticSignals(j: JSCodeshift, root: Collection, node: AnyNode | undefined): string[] | undefined {
  if (!node) return undefined;
  const value = node as AnyNode & { value?: unknown; name?: string; elements?: AnyNode[] };
  if ((value.type === 'StringLiteral' || value.type === 'Literal') && typeof value.value === 'string') return SIGNALS.includes(value.value) ? [value.value] : [];
  if (value.type === 'ArrayExpression') {
    const names = value.elements!.map((element) => staticSignals(j, root, element));
    return names.every((name) => name !== undefined) ? names.flat() : undefined;
  }
  if (value.type === 'Identifier') {
    const declarator = root
      .find(j.VariableDeclarator, { id: { type: 'Identifier', name: value.name } })
      .filter((path) => j.Program.check(path.parent?.parent?.node) && (path.parent.node as { kind: string }).kind === 'const')
      .nodes()[0] as { init?: AnyNode } | undefined;
    return declarator?.init ? staticSignals(j, root, unwrap(declarator.init)) : undefined;
  }
  return undefined;
}

/** A top-level function of this file by name: `function shutdown()`, `const shutdown = async () => …`. */
function topLevelFunction(j: JSCodeshift, root: Collection, name: string): { fn: AnyNode; statement: AnyNode } | undefined {
  const program = root.find(j.Program).nodes()[0] as unknown as { body: AnyNode[] };
  for (const statement of program.body) {
    const declaration = (statement.type === 'ExportNamedDeclaration' ? (statement as { declaration?: AnyNode }).declaration : statement) as AnyNode | undefined;
    if (!declaration) continue;
    if (declaration.type === 'FunctionDeclaration' && (declaration as { id?: { name?: string } }).id?.name === name) return { fn: declaration, statement };
    if (declaration.type === 'VariableDeclaration') {
      for (const declarator of (declaration as { declarations: { id: { name?: string }; init?: AnyNode }[] }).declarations) {
        if (declarator.id.name === name && declarator.init && isFunction(unwrap(declarator.init))) return { fn: unwrap(declarator.init), statement };
      }
    }
  }
  return undefined;
}

/** `process.on(signal, handler)` as a node, or undefined. */
function registration(node: AnyNode | undefined): { signal: AnyNode; handler: AnyNode } | undefined {
  if (!node) return undefined;
  const member = memberCall(node);
  if (!member || !REGISTRATION_METHODS.has(member.method) || member.object.type !== 'Identifier' || (member.object as { name?: string }).name !== 'process') return undefined;
  const [signal, handler] = member.call.arguments;
  return signal && handler ? { signal, handler } : undefined;
}

/** The single statement of a loop body or callback: `{ process.on(s, h); }` or the expression itself. */
function onlyStatement(body: AnyNode): AnyNode | undefined {
  if (body.type === 'BlockStatement') {
    const statements = (body as { body: AnyNode[] }).body;
    return statements.length === 1 && statements[0].type === 'ExpressionStatement' ? (statements[0] as { expression: AnyNode }).expression : undefined;
  }
  return body.type === 'ExpressionStatement' ? (body as { expression: AnyNode }).expression : body;
}

/**
 * The registration a top-level statement makes: `process.on('SIGTERM', h)`, `['SIGTERM', 'SIGINT'].forEach((s) =>
 * process.on(s, h))`, `for (const s of SIGNALS) process.on(s, h)`, with the loop variable as the signal.
 */
function unitOf(j: JSCodeshift, root: Collection, statement: AnyNode): { signals: string[]; handler: AnyNode; loopVariable?: string } | undefined {
  if (statement.type === 'ExpressionStatement') {
    const expression = (statement as { expression: AnyNode }).expression;
    const direct = registration(expression);
    if (direct) {
      const signals = staticSignals(j, root, direct.signal);
      return signals && signals.length > 0 ? { signals, handler: direct.handler } : undefined;
    }
    const loop = memberCall(expression);
    const callback = loop?.method === 'forEach' ? loop.call.arguments[0] : undefined;
    if (!loop || !isFunction(callback) || callback.params[0]?.type !== 'Identifier') return undefined;
    const inner = registration(onlyStatement(callback.body));
    const variable = (callback.params[0] as { name: string }).name;
    const signals = staticSignals(j, root, loop.object);
    if (!inner || inner.signal.type !== 'Identifier' || (inner.signal as { name?: string }).name !== variable || !signals?.length) return undefined;
    return { signals, handler: inner.handler, loopVariable: variable };
  }
  if (statement.type === 'ForOfStatement') {
    const { left, right, body } = statement as unknown as { left: AnyNode & { declarations?: { id: { name?: string } }[] }; right: AnyNode; body: AnyNode };
    const variable = left.declarations?.[0]?.id.name;
    const inner = registration(onlyStatement(body));
    const signals = staticSignals(j, root, right);
    if (!variable || !inner || (inner.signal as { name?: string }).name !== variable || !signals?.length) return undefined;
    return { signals, handler: inner.handler, loopVariable: variable };
  }
  return undefined;
}

/** The function a handler runs, and the name it gives the signal: inline, a function of this file, or a wrapper calling one. */
function resolveHandler(j: JSCodeshift, root: Collection, handler: AnyNode, signals: string[], loopVariable: string | undefined): Omit<Unit, 'statement' | 'signals'> {
  const parameterOf = (fn: AnyNode & { params: AnyNode[] }): string | undefined =>
    fn.params[0]?.type === 'Identifier' ? (fn.params[0] as { name: string }).name : undefined;
  if (handler.type === 'Identifier') {
    const name = (handler as { name: string }).name;
    const found = topLevelFunction(j, root, name);
    if (!found || !isFunction(found.fn)) throw new Unsupported(`the handler \`${name}\` is not a top-level function of this file`);
    // Node passes the signal's name as the listener's first argument.
    return { handler: found.fn, signalParameter: parameterOf(found.fn), definition: { statement: found.statement, name } };
  }
  if (!isFunction(handler)) throw new Unsupported('the signal handler is not a function of this file');
  // () => shutdown('SIGTERM'), () => void shutdown(signal), async () => { await shutdown(); }
  const call = onlyStatement(handler.body);
  const callee = call && (unwrap(call) as AnyNode & { callee?: AnyNode & { name?: string }; arguments?: AnyNode[] });
  if (callee?.type === 'CallExpression' && callee.callee?.type === 'Identifier') {
    const found = topLevelFunction(j, root, callee.callee.name!);
    if (found && isFunction(found.fn)) {
      const argument = callee.arguments?.[0] as (AnyNode & { name?: string; value?: unknown }) | undefined;
      const passesSignal =
        argument === undefined ||
        (argument.type === 'Identifier' && (argument.name === loopVariable || argument.name === parameterOf(handler))) ||
        (typeof argument.value === 'string' && signals.length === 1 && argument.value === signals[0]);
      if (!passesSignal) throw new Unsupported(`the handler calls \`${callee.callee.name}\` with something other than the signal`);
      return { handler: found.fn, signalParameter: argument === undefined ? undefined : parameterOf(found.fn), definition: { statement: found.statement, name: callee.callee.name! } };
    }
  }
  return { handler, signalParameter: parameterOf(handler) ?? loopVariable };
}

/**
 * What a handler does besides closing the server and exiting, as statement texts in their order:
 * the close's callback is inlined where the close was, a promise chain becomes awaits, a try's catch or
 * finally that only logs and exits is left to the routine's own. Anything else that exits is refused.
 */
function cleanupOf(source: string, fn: AnyNode & { body: AnyNode & { body?: AnyNode[] } }): { statements: AnyNode[]; awaits: Map<AnyNode, AnyNode> } {
  const statements: AnyNode[] = [];
  const awaits = new Map<AnyNode, AnyNode>();
  const fromExpression = (expression: AnyNode, statement: AnyNode | undefined): void => {
    if (isProcessExit(expression)) return;
    const member = memberCall(expression);
    if (member && isServerClose(source, expression)) {
      const callback = member.call.arguments.find(isFunction);
      if (callback) fromBody(callback);
      else if (member.call.arguments.some((argument) => argument.type === 'Identifier' && contains(argument, () => true) && /exit|resolve|done/i.test(source.slice(argument.start, argument.end)))) return;
      return;
    }
    if (member && (member.method === 'then' || member.method === 'finally' || member.method === 'catch')) {
      const callbacks = member.call.arguments.filter(isFunction);
      if (member.method === 'catch' && callbacks.some((callback) => !onlyLogsAndExits(source, callback))) throw new Unsupported('a `.catch()` in the handler does more than log and exit');
      fromExpression(member.object, undefined);
      if (member.method !== 'catch') callbacks.forEach(fromBody);
      return;
    }
    const inner = unwrap(expression) as AnyNode & { callee?: AnyNode & { name?: string }; arguments?: AnyNode[] };
    // await new Promise((resolve) => server.close(resolve)): the routine drains the server itself.
    if (inner.type === 'NewExpression' && contains(inner, (node) => isServerClose(source, node))) return;
    // A deadline of its own: the routine has one.
    if (inner.type === 'CallExpression' && inner.callee?.type === 'Identifier' && inner.callee.name === 'setTimeout' && contains(inner, isProcessExit)) return;
    if (contains(expression, isProcessExit)) throw new Unsupported('`process.exit()` runs inside a callback of the handler: its cleanup cannot be moved safely');
    if (contains(expression, (node) => isServerClose(source, node))) throw new Unsupported(CLOSES_ITSELF);
    if (statement) statements.push(statement);
    else awaits.set(expression, expression);
  };
  const fromStatement = (statement: AnyNode): void => {
    if (statement.type === 'ExpressionStatement') return fromExpression((statement as { expression: AnyNode }).expression, statement);
    if (statement.type === 'TryStatement') {
      const { block, handler, finalizer } = statement as unknown as { block: AnyNode & { body: AnyNode[] }; handler?: { body: AnyNode }; finalizer?: AnyNode };
      for (const part of [handler?.body, finalizer]) {
        if (part && !onlyLogsAndExits(source, part)) throw new Unsupported('a `catch`/`finally` of the handler does more than log and exit');
      }
      block.body.forEach(fromStatement);
      return;
    }
    if (statement.type === 'ReturnStatement' && (statement as { argument?: AnyNode }).argument) {
      return fromExpression((statement as { argument: AnyNode }).argument, undefined);
    }
    if (contains(statement, isProcessExit)) throw new Unsupported('`process.exit()` runs conditionally in the handler: its cleanup cannot be moved safely');
    if (contains(statement, (node) => isServerClose(source, node))) throw new Unsupported(CLOSES_ITSELF);
    statements.push(statement);
  };
  const fromBody = (callback: AnyNode & { body?: unknown }): void => {
    const body = (callback as { body: AnyNode & { body?: AnyNode[] } }).body;
    if (body.type === 'BlockStatement') body.body!.forEach(fromStatement);
    else fromExpression(body, undefined);
  };
  fromBody(fn);
  return { statements, awaits };
}

/** A block or callback whose statements are only logging and `process.exit()`. */
function onlyLogsAndExits(source: string, node: AnyNode): boolean {
  const body = isFunction(node) ? (node as { body: AnyNode }).body : node;
  const statements = body.type === 'BlockStatement' ? (body as { body: AnyNode[] }).body : [body];
  return statements.every((statement) => {
    const expression = statement.type === 'ExpressionStatement' ? (statement as { expression: AnyNode }).expression : statement;
    if (isProcessExit(expression)) return true;
    const text = source.slice(expression.start, expression.end);
    return /^(?:console|logger|log|\w*\.log(?:ger)?)\s*\.\s*\w+\s*\(/.test(text);
  });
}

/** A log line naming one signal names the one received: 'SIGTERM received' → `${signal} received`. */
function withReceivedSignal(text: string, signal: string): string {
  return text.replace(/(['"`])((?:\\.|(?!\1)[^\\])*?)\1/g, (literal, quote: string, body: string) => {
    const named = SIGNALS.filter((name) => new RegExp(`\\b${name}\\b`).test(body));
    if (named.length !== 1) return literal;
    const replaced = body.replace(new RegExp(`\\b${named[0]}\\b`, 'g'), `\${${signal}}`);
    if (quote === '`') return `\`${replaced}\``;
    return `\`${replaced.replace(/`/g, '\\`').replace(new RegExp(`\\\\${quote}`, 'g'), quote)}\``;
  });
}

/** Where the server is started, and how the routine stops it. */
function findServer(
  j: JSCodeshift,
  root: Collection,
  source: string,
  file: string,
  container: AnyNode,
  inside: (node: AnyNode) => boolean,
): { stop: Stop; name: string; edit?: Edit } | { problem: string; line?: number } {
  const hapi = /from ['"](?:@hapi\/hapi|hapi)['"]|require\(['"](?:@hapi\/hapi|hapi)['"]\)/.test(source);
  const calls = root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { type: 'Identifier' } } })
    .filter((path) => {
      const name = ((path.node.callee as { property: { name: string } }).property).name;
      return (name === 'listen' || (hapi && name === 'start')) && !inside(path.node as unknown as AnyNode);
    })
    .filter((path) => {
      // pub/sub `listen('channel')`: not a server
      const first = path.node.arguments[0] as AnyNode | undefined;
      return !(first && (first.type === 'StringLiteral' || first.type === 'Literal') && typeof (first as { value?: unknown }).value === 'string' && !/^\d+$/.test(String((first as { value?: unknown }).value)));
    });
  if (calls.length === 0) return { problem: serverElsewhereProblem(file) };
  if (calls.length > 1) return { problem: 'several `listen()` calls: close each server in the shutdown routine by hand' };
  const listen = calls.paths()[0] as ASTPath<CallExpression>;
  const callee = listen.node.callee as unknown as { object: AnyNode; property: { name: string } };
  const line = lineOf(listen.node);
  let path: ASTPath<Node> = listen as unknown as ASTPath<Node>;
  while (j.AwaitExpression.check(path.parent?.node)) path = path.parent;
  const parent = path.parent?.node as AnyNode | undefined;
  const servers = packageServersFor(isAbsolute(file) ? file : join(process.cwd(), file));
  const promiseListen = j.AwaitExpression.check(listen.parent?.node) || (j.MemberExpression.check(listen.parent?.node) && /^(?:then|catch)$/.test(((listen.parent.node as { property: { name?: string } }).property).name ?? ''));
  const receiver = callee.object;
  const receiverName = j.Identifier.check(receiver) ? (receiver as unknown as { name: string }).name : undefined;
  const isHapi = hapi && callee.property.name === 'start';
  const usesAppClose =
    !isHapi &&
    (/from ['"](?:fastify|@nestjs\/core)['"]|require\(['"]fastify['"]\)|NestFactory/.test(source) ||
      promiseListen ||
      /fastify|nest/i.test(receiverName ?? '') ||
      (servers !== undefined && servers.promiseClose.length > 0 && servers.nodeServer.length === 0));
  // The routine can reach the instance when it is declared at the top of the module or started in the routine's own function.
  const declaredAtTop = (name: string): boolean =>
    root.find(j.VariableDeclarator, { id: { type: 'Identifier', name } }).filter((declarator) => j.Program.check(declarator.parent?.parent?.node)).length > 0;
  const reachable = (): boolean =>
    container.type === 'Program' || (container.start <= at(listen.node).start && at(listen.node).end <= container.end) || (receiverName !== undefined && declaredAtTop(receiverName));
  if (isHapi || usesAppClose) {
    if (!receiverName) return { problem: 'the app that listens is not a variable', line };
    if (!reachable()) return { problem: `\`${receiverName}\` is started inside a function the shutdown routine cannot reach: register the shutdown there`, line };
    return { stop: isHapi ? 'hapi' : /NestFactory|@nestjs\//.test(source) ? 'nest' : 'fastify', name: receiverName };
  }
  if (j.VariableDeclarator.check(parent) && j.Identifier.check((parent as unknown as { id: AnyNode }).id)) {
    return { stop: 'node', name: ((parent as unknown as { id: { name: string } }).id).name };
  }
  if (!j.ExpressionStatement.check(parent)) return { problem: 'the server returned by `listen()` is not kept in a variable this routine can reach', line };
  const statement = path.parent as ASTPath<Node>;
  if (statement.parent?.node !== container && !j.Program.check(statement.parent?.node)) {
    return { problem: '`listen()` runs inside a function: keep its server where the shutdown routine can reach it', line };
  }
  const name = uniqueName(j, root, 'server');
  const { start } = at(parent);
  return { stop: 'node', name, edit: { start, end: start, text: `const ${name} = ` } };
}

/** Why a module without a server is not rewritten, naming the module that starts it when the package says. */
function serverElsewhereProblem(file: string): string {
  const absolute = isAbsolute(file) ? file : join(process.cwd(), file);
  const servers = packageServersFor(absolute);
  if (!runsHttpServer(servers)) return 'no `listen()` call in this file: the server is started elsewhere, pass it to the shutdown routine there';
  const directory = nearestPackageDirectory(absolute)!;
  const dependency = [...servers!.nodeServer, ...servers!.promiseClose][0];
  let entry: string | undefined;
  try {
    const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { main?: string; scripts?: Record<string, string> };
    const fromStart = /(?:node|tsx|ts-node|nodemon|bun)\s+(?:--?\S+\s+)*([\w./-]+\.[cm]?[jt]s)\b/.exec(manifest.scripts?.start ?? manifest.scripts?.dev ?? '')?.[1];
    const candidates = [fromStart, manifest.main, 'src/server.ts', 'src/index.ts', 'src/main.ts', 'src/app.ts', 'server.ts', 'index.ts', 'server.js', 'index.js', 'src/server.js', 'src/index.js']
      .filter((candidate): candidate is string => typeof candidate === 'string')
      .flatMap((candidate) => [candidate, candidate.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')]);
    entry = candidates.find((candidate) => {
      const path = join(directory, candidate);
      return path !== absolute && existsSync(path) && /\.(?:listen|start)\s*\(/.test(readFileSync(path, 'utf8'));
    });
  } catch {
    // no readable package.json or entry: the generic reason below
  }
  const where = entry ? `\`${relative(directory, join(directory, entry))}\`, where the server is started` : 'the module that calls `listen()` (not found from package.json `main`/`start`)';
  return `this module starts no server, but the package runs one (${dependency} in package.json): move this shutdown to ${where}, close the server there before disconnecting, and stop exiting the process here`;
}

function routine(options: {
  typescript: boolean;
  server: string;
  stop: Stop;
  announce: string[];
  cleanup: string[];
  indent: string;
  deadline: { SIGTERM: number; SIGINT: number };
  quote: string;
  shutdownName: string;
  guardName: string;
}): string {
  const { typescript, server, stop, indent, deadline, quote: q, shutdownName, guardName } = options;
  const signalType = typescript ? ': string' : '';
  const returnType = typescript ? ': Promise<void>' : '';
  const promiseType = typescript ? '<void>' : '';
  const drain =
    stop === 'fastify' || stop === 'nest'
      ? [
          `    // Stops accepting connections and resolves once in-flight requests have been answered; sockets kept`,
          `    // alive after their last response are closed as they turn idle, or close() waits for keepAliveTimeout.`,
          `    const closeIdleConnections = setInterval(() => ${server}.${stop === 'nest' ? 'getHttpServer()' : 'server'}.closeIdleConnections(), 100);`,
          `    await ${server}.close();`,
          `    clearInterval(closeIdleConnections);`,
        ]
      : stop === 'hapi'
        ? [`    // Stops accepting connections; requests still running after the timeout are cut.`, `    await ${server}.stop({ timeout: deadlineMs - 1000 });`]
        : [
            `    // Stop accepting connections and let in-flight requests finish; keep-alive sockets are closed as`,
            `    // soon as they turn idle, so the drain does not wait for keepAliveTimeout.`,
            `    const closeIdleConnections = setInterval(() => ${server}.closeIdleConnections(), 100);`,
            `    await new Promise${promiseType}((resolve, reject) => ${server}.close((error) => (error ? reject(error) : resolve())));`,
            `    clearInterval(closeIdleConnections);`,
          ];
  const deadlineLines =
    deadline.SIGTERM === deadline.SIGINT
      ? [`  // Exit on our own before the platform's SIGKILL if something hangs.`, `  const deadlineMs = ${deadline.SIGTERM};`]
      : [
          `  // Exit on our own if something hangs, before the platform's SIGKILL: Fly sends SIGINT and kills 5 s`,
          `  // later, Docker sends SIGTERM and kills 10 s later (Kubernetes, Heroku, Render: 30 s).`,
          `  const deadlineMs = signal === ${q}SIGINT${q} ? ${deadline.SIGINT} : ${deadline.SIGTERM};`,
        ];
  const lines = [
    `let ${guardName} = false;`,
    ``,
    `async function ${shutdownName}(signal${signalType})${returnType} {`,
    `  if (${guardName}) return;`,
    `  ${guardName} = true;`,
    ...deadlineLines,
    `  setTimeout(() => {`,
    `    console.error(\`\${signal}: shutdown took longer than \${deadlineMs} ms, exiting\`);`,
    `    process.exit(1);`,
    `  }, deadlineMs).unref();`,
    `  try {`,
    ...options.announce,
    ...drain,
    ...options.cleanup,
    `    process.exit(0);`,
    `  } catch (error) {`,
    `    console.error(\`\${signal}: shutdown failed\`, error);`,
    `    process.exit(1);`,
    `  }`,
    `}`,
    ``,
    `// Docker, Kubernetes, Railway, Render and Heroku send SIGTERM; Fly sends SIGINT.`,
    `process.on(${q}SIGTERM${q}, () => void ${shutdownName}(${q}SIGTERM${q}));`,
    `process.on(${q}SIGINT${q}, () => void ${shutdownName}(${q}SIGINT${q}));`,
  ];
  return lines.map((line, index) => (index === 0 || line === '' ? line : indent + line)).join('\n');
}

/** A Nest bootstrap without signal handlers: the rule's own fix, `app.enableShutdownHooks();` before `listen()`. */
function applyNestHooksFix(source: string, findings: TransformContext['findings']): string | undefined {
  const edits = findings.flatMap((finding) => (finding.messageId === 'nestShutdownHooks' && finding.fix ? [{ start: finding.fix.range[0], end: finding.fix.range[1], text: finding.fix.text }] : []));
  return edits.length > 0 ? applyEdits(source, edits) : undefined;
}

function rewrite({ file, j, options, report, findings }: TransformContext): string | undefined {
  // recast gives offsets in the text with CRLF read as LF: work on that text, write CRLF back at the end.
  const source = file.source.replace(/\r\n/g, '\n');
  const root = j(source);
  const allRegistrations = root
    .find(j.CallExpression)
    .filter((path) => {
      const found = registration(path.node as unknown as AnyNode);
      const signals = found && staticSignals(j, root, found.signal);
      return found !== undefined && (signals === undefined ? /SIG(?:TERM|INT)|signal/i.test(source.slice(at(found.signal).start, at(found.signal).end)) : signals.length > 0);
    });
  if (allRegistrations.length === 0) return applyNestHooksFix(file.source, findings);

  // The statements that register the handlers, all in one block (the program, or a bootstrap function's body).
  const units: Unit[] = [];
  let container: AnyNode | undefined;
  try {
    for (const path of allRegistrations.paths()) {
      // The innermost statement of the program or of a function body that registers the handlers on its own:
      // `process.on(…)`, or the forEach / for…of around it that names the signals.
      let candidate: ASTPath<Node> | undefined;
      let found: ReturnType<typeof unitOf>;
      for (let up: ASTPath<Node> | null = path as unknown as ASTPath<Node>; up && !found; up = up.parent) {
        const atTop = j.Program.check(up.parent?.node) || (j.BlockStatement.check(up.parent?.node) && isFunction(up.parent?.parent?.node));
        if (!atTop) continue;
        found = unitOf(j, root, up.node as AnyNode);
        if (found) candidate = up;
      }
      const statement = candidate?.node as AnyNode | undefined;
      if (statement && units.some((unit) => unit.statement === statement)) continue;
      if (!candidate || !statement || !found) throw new Unsupported(`the signal handler at line ${lineOf(path.node)} is registered in a way this codemod does not rewrite (inside a condition, a callback or a function other than the one that starts the server)`);
      const block = candidate.parent!.node as AnyNode;
      if (container && container !== block) throw new Unsupported('the signal handlers are registered in different functions: merge them into one shutdown by hand');
      container = block;
      units.push({ statement, signals: found.signals, ...resolveHandler(j, root, found.handler, found.signals, found.loopVariable) });
    }
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    report(`not rewritten: ${error.message}`, lineOf(allRegistrations.paths()[0].node));
    return undefined;
  }
  const firstLine = lineOf(units[0].statement);

  // The cleanup each handler runs (server close and exits taken out), which must be the same for every signal.
  const cleanups: { text: string; log: boolean }[][] = [];
  try {
    for (const unit of units) {
      const { statements, awaits } = cleanupOf(source, unit.handler as Parameters<typeof cleanupOf>[1]);
      const body = (unit.handler as { body: AnyNode & { body?: AnyNode[] } }).body;
      const firstStatement = body.type === 'BlockStatement' ? body.body![0] : undefined;
      const handlerIndent = firstStatement ? indentOf(source, firstStatement.start) : '';
      const texts: string[] = [];
      const logs: boolean[] = [];
      const ordered = [...statements.map((node) => ({ node, statement: true })), ...[...awaits.keys()].map((node) => ({ node, statement: false }))].sort((a, b) => a.node.start - b.node.start);
      for (const { node, statement } of ordered) {
        if (!statement) {
          const text = source.slice(node.start, node.end);
          texts.push(`    ${/^await\b/.test(text) ? text : `await ${text}`};`);
          logs.push(false);
          continue;
        }
        const leading = ((node as { comments?: AnyNode[] }).comments ?? []).filter((comment) => comment.end <= node.start);
        const start = leading.length > 0 ? Math.min(...leading.map((comment) => comment.start)) : node.start;
        texts.push(reindent(source.slice(start, node.end), handlerIndent, '    '));
        logs.push(onlyLogsAndExits(source, node));
      }
      const parameter = unit.signalParameter;
      const withSignal = texts.map((text) => withReceivedSignal(parameter && parameter !== 'signal' ? text.replace(new RegExp(`\\b${parameter}\\b`, 'g'), 'signal') : text, 'signal'));
      cleanups.push(withSignal.map((text, index) => ({ text, log: logs[index] })));
    }
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    report(`not rewritten: ${error.message}`, firstLine);
    return undefined;
  }
  const cleanup = cleanups[0].map((line) => line.text);
  // The handler's first log lines ("SIGTERM received, shutting down") still run at once; the rest after the drain.
  const announce = cleanups[0].findIndex((line) => !line.log);
  const before = announce === -1 ? cleanup.length : announce;
  if (cleanups.some((other) => other.map((line) => line.text).join('\n') !== cleanup.join('\n'))) {
    report('not rewritten: the SIGTERM and SIGINT handlers do different things: merge them into one shutdown by hand', firstLine);
    return undefined;
  }

  const handlerNodes = units.map((unit) => unit.handler);
  const server = findServer(j, root, source, file.path, container!, (node) =>
    handlerNodes.some((handler) => handler.start <= node.start && node.end <= handler.end) || units.some((unit) => unit.statement.start <= node.start && node.end <= unit.statement.end),
  );
  if ('problem' in server) {
    report(`not rewritten: ${server.problem}`, server.line ?? firstLine);
    return undefined;
  }

  let deadline = DEFAULT_DEADLINE_MS;
  if (options['timeout-ms'] !== undefined) {
    const timeoutMs = Number(options['timeout-ms']);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      report(`skipped: --timeout-ms must be a positive whole number of milliseconds, not ${JSON.stringify(options['timeout-ms'])}`);
      return undefined;
    }
    deadline = { SIGTERM: timeoutMs, SIGINT: timeoutMs };
  }

  const first = units[0].statement;
  const removedStatements: AnyNode[] = [...units.map((unit) => unit.statement)];
  for (const unit of units) {
    if (!unit.definition || removedStatements.includes(unit.definition.statement)) continue;
    const { statement, name } = unit.definition;
    // Still used by something else (an uncaughtException handler, an export): keep it.
    const uses = root.find(j.Identifier, { name }).filter((path) => {
      const node = at(path.node);
      return !(statement.start <= node.start && node.end <= statement.end) && !units.some((other) => other.statement.start <= node.start && node.end <= other.statement.end);
    });
    if (uses.length === 0 && statement.type !== 'ExportNamedDeclaration') removedStatements.push(statement);
  }
  const text = routine({
    typescript: /\.(?:ts|tsx|mts|cts)$/.test(file.path),
    server: server.name,
    stop: server.stop,
    announce: cleanup.slice(0, before),
    cleanup: cleanup.slice(before),
    indent: indentOf(source, first.start),
    deadline,
    quote: /['"]/.exec(source.slice(first.start, first.end))?.[0] ?? "'",
    shutdownName: uniqueName(j, root, 'shutdown', removedStatements),
    guardName: uniqueName(j, root, 'shuttingDown', removedStatements),
  });
  const edits: Edit[] = [{ start: first.start, end: first.end, text }];
  for (const statement of removedStatements.slice(1)) edits.push(removeStatementEdit(source, statement.start, statement.end));
  if (server.edit) edits.push(server.edit);
  const output = applyEdits(source, edits);
  return file.source.includes('\r\n') ? output.replace(/\r?\n/g, '\r\n') : output;
}

const transform = createTransform(/SIG(?:TERM|INT)|NestFactory/, rewrite, { name: 'shutdown-must-close-server', rule });
export default leaveUndecodableFilesAlone(transform);
