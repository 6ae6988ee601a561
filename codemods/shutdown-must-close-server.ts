import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ASTPath, CallExpression, Collection, JSCodeshift, Node } from 'jscodeshift';
import { nearestPackageDirectory } from '../src/core/project-root';
import { packageServersFor, runsHttpServer } from '../src/shutdown/package-server';
import { DEFAULT_DEADLINE_MS, routine, type Stop } from '../src/shutdown/routine';
import { DATA_RECEIVER, SERVER_RECEIVER } from '../src/shutdown/shutdown-steps';
import { writeLinkedFile } from './lib/linked-writes';
import { applyEdits, offsets as at, removeStatementEdit, type TextEdit as Edit } from './lib/text-edits';
import rule from '../src/rules/shutdown-must-close-server';
import { verifyWithPluginRule } from './lib/apply-rule-fixes';
import { importSpecifier } from './lib/prisma-singleton';
import { createTransform, leaveUndecodableFilesAlone, parsersFor, type TransformContext } from './lib/transform';
import { packageModules } from '../src/shutdown/server-module';

const SIGNALS = ['SIGTERM', 'SIGINT'];
const REGISTRATION_METHODS = new Set(['on', 'once', 'addListener']);

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
): { stop: Stop; name: string; edit?: Edit; listen: AnyNode } | { problem: string; line?: number } {
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
    return { stop: isHapi ? 'hapi' : /NestFactory|@nestjs\//.test(source) ? 'nest' : 'fastify', name: receiverName, listen: listen.node as unknown as AnyNode };
  }
  if (j.VariableDeclarator.check(parent) && j.Identifier.check((parent as unknown as { id: AnyNode }).id)) {
    return { stop: 'node', name: ((parent as unknown as { id: { name: string } }).id).name, listen: listen.node as unknown as AnyNode };
  }
  if (!j.ExpressionStatement.check(parent)) return { problem: 'the server returned by `listen()` is not kept in a variable this routine can reach', line };
  const statement = path.parent as ASTPath<Node>;
  if (statement.parent?.node !== container && !j.Program.check(statement.parent?.node)) {
    return { problem: '`listen()` runs inside a function: keep its server where the shutdown routine can reach it', line };
  }
  const name = uniqueName(j, root, 'server');
  const { start } = at(parent);
  return { stop: 'node', name, edit: { start, end: start, text: `const ${name} = ` }, listen: listen.node as unknown as AnyNode };
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

function leadingComments(node: AnyNode): AnyNode[] {
  return ((node as { comments?: (AnyNode & { leading?: boolean })[] }).comments ?? []).filter((comment) => comment.end <= node.start);
}

/**
 * Removes top-level statements with their leading comments and the blank lines after them; what is left at
 * the end of the file ends with one newline. The rest of the text stays byte for byte.
 */
function removeWhole(source: string, statements: AnyNode[]): string {
  const ranges = statements
    .map((statement) => {
      const comments = leadingComments(statement);
      let start = lineStart(source, comments.length > 0 ? Math.min(...comments.map((comment) => comment.start)) : statement.start);
      let end = source.indexOf('\n', statement.end);
      end = end === -1 ? source.length : end + 1;
      while (end < source.length && /^[ \t]*(?:\n|$)/.test(source.slice(end, source.indexOf('\n', end) === -1 ? source.length : source.indexOf('\n', end) + 1))) {
        const next = source.indexOf('\n', end);
        end = next === -1 ? source.length : next + 1;
      }
      if (!/^[ \t]*$/.test(source.slice(start, Math.min(...[statement.start, ...comments.map((comment) => comment.start)])))) start = statement.start;
      return { start, end };
    })
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  const last = merged.at(-1);
  if (last && last.end === source.length) {
    while (last.start > 0 && source[last.start - 1] === '\n' && (last.start < 2 || source[last.start - 2] === '\n')) last.start--;
  }
  return applyEdits(source, merged.map((range) => ({ ...range, text: '' })));
}

/** Drops the imports (and requires) that only the removed handlers used: a `logger` import left unused fails `noUnusedLocals`. */
function withoutUnusedImports(j: JSCodeshift, text: string, removedText: string): string {
  const root = j(text);
  const program = root.find(j.Program).nodes()[0] as unknown as { body: AnyNode[] };
  const identifiers = root.find(j.Identifier).nodes() as unknown as AnyNode[];
  const usedOutside = (name: string, statement: AnyNode): boolean => identifiers.some((node) => node.name === name && (node.start < statement.start || node.end > statement.end));
  const edits: Edit[] = [];
  for (const statement of program.body) {
    let locals: { name: string; node: AnyNode }[] = [];
    if (statement.type === 'ImportDeclaration') {
      locals = ((statement as { specifiers?: (AnyNode & { local: AnyNode })[] }).specifiers ?? []).map((specifier) => ({ name: specifier.local.name!, node: specifier }));
    } else if (statement.type === 'VariableDeclaration' && (statement.declarations as unknown[]).length === 1) {
      const declarator = (statement.declarations as { id: AnyNode & { properties?: { value?: AnyNode }[] }; init?: AnyNode }[])[0];
      if (!requiredModule(declarator.init)) continue;
      if (declarator.id.type === 'Identifier') locals = [{ name: declarator.id.name!, node: declarator.id }];
      else locals = (declarator.id.properties ?? []).flatMap((property) => (property.value?.type === 'Identifier' ? [{ name: property.value.name!, node: property as unknown as AnyNode }] : []));
    }
    const gone = locals.filter((local) => new RegExp(`(?<![\\w$.])${local.name.replace(/\$/g, '\\$')}(?![\\w$])`).test(removedText) && !usedOutside(local.name, statement));
    if (locals.length === 0 || gone.length === 0) continue;
    if (gone.length === locals.length) {
      edits.push(removeStatementEdit(text, statement.start, statement.end));
      continue;
    }
    // `{ logger, other }` → `{ other }`: the specifier and the comma beside it.
    for (const { node } of gone) {
      const after = /^\s*,\s*/.exec(text.slice(node.end));
      if (after) edits.push({ start: node.start, end: node.end + after[0].length, text: '' });
      else {
        const before = /\s*,\s*$/.exec(text.slice(0, node.start))!;
        edits.push({ start: node.start - before[0].length, end: node.end, text: '' });
      }
    }
  }
  return edits.length > 0 ? applyEdits(text, edits) : text;
}

/** What a top-level name of a module is: an import (module specifier and imported name) or its own declaration. */
type Binding = { kind: 'import'; module: string; imported: string } | { kind: 'local'; exported?: string };

/** A module specifier as a comparable key: relative ones resolved from the importing file, extension and `/index` dropped. */
function moduleKey(fromFile: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return resolve(dirname(resolve(fromFile)), specifier).replace(/\.(?:[cm]?[jt]s|[jt]sx)$/, '').replace(/\/index$/, '');
}

function requiredModule(node: AnyNode | undefined): string | undefined {
  const call = node && (unwrap(node) as AnyNode & { callee?: AnyNode & { name?: string }; arguments?: AnyNode[] });
  const argument = call?.arguments?.[0] as (AnyNode & { value?: unknown }) | undefined;
  return call?.type === 'CallExpression' && call.callee?.type === 'Identifier' && call.callee.name === 'require' && typeof argument?.value === 'string' ? argument.value : undefined;
}

/** The module's top-level names: imports, requires and declarations, with the name each declaration is exported under. */
function topLevelBindings(program: { body: AnyNode[] }, source: string, fromFile: string): Map<string, Binding> {
  const bindings = new Map<string, Binding>();
  const exported = new Map<string, string>();
  const propertyName = (node: AnyNode | undefined): string | undefined => (node?.type === 'Identifier' ? node.name : typeof node?.value === 'string' ? node.value : undefined);
  const declare = (declaration: AnyNode | undefined, exportedToo: boolean): void => {
    if (!declaration) return;
    const names: string[] = [];
    if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations as { id: AnyNode & { properties?: { key?: AnyNode; value?: AnyNode }[] }; init?: AnyNode }[]) {
        const from = requiredModule(declarator.init);
        if (declarator.id.type === 'Identifier') {
          if (from) bindings.set(declarator.id.name!, { kind: 'import', module: moduleKey(fromFile, from), imported: '*' });
          else names.push(declarator.id.name!);
        } else if (declarator.id.type === 'ObjectPattern' && from) {
          for (const property of declarator.id.properties ?? []) {
            const key = propertyName(property.key);
            if (key && property.value?.type === 'Identifier') bindings.set(property.value.name!, { kind: 'import', module: moduleKey(fromFile, from), imported: key });
          }
        }
      }
    } else if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && (declaration as { id?: AnyNode }).id) {
      names.push((declaration as unknown as { id: AnyNode }).id.name!);
    }
    for (const name of names) {
      bindings.set(name, { kind: 'local' });
      if (exportedToo) exported.set(name, name);
    }
  };
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      if ((statement as { importKind?: string }).importKind === 'type') continue;
      const from = moduleKey(fromFile, String((statement as unknown as { source: { value: unknown } }).source.value));
      for (const specifier of (statement as { specifiers?: (AnyNode & { local: AnyNode; imported?: AnyNode; importKind?: string })[] }).specifiers ?? []) {
        if (specifier.importKind === 'type') continue;
        const imported = specifier.type === 'ImportDefaultSpecifier' ? 'default' : specifier.type === 'ImportNamespaceSpecifier' ? '*' : propertyName(specifier.imported) ?? '';
        bindings.set(specifier.local.name!, { kind: 'import', module: from, imported });
      }
    } else if (statement.type === 'ExportNamedDeclaration') {
      declare((statement as { declaration?: AnyNode }).declaration, true);
      if (!(statement as { source?: unknown }).source) {
        for (const specifier of (statement as { specifiers?: { local: AnyNode; exported: AnyNode }[] }).specifiers ?? []) exported.set(specifier.local.name!, propertyName(specifier.exported)!);
      }
    } else if (statement.type === 'ExportDefaultDeclaration') {
      const declaration = (statement as unknown as { declaration: AnyNode }).declaration;
      if (declaration.type === 'Identifier') exported.set(declaration.name!, 'default');
    } else if (statement.type === 'ExpressionStatement') {
      // module.exports = prisma; module.exports = { prisma }; module.exports.prisma = prisma; exports.prisma = prisma
      const expression = (statement as { expression: AnyNode & { left?: AnyNode; right?: AnyNode; operator?: string } }).expression;
      if (expression.type !== 'AssignmentExpression' || expression.operator !== '=') continue;
      const target = receiverText(source, expression.left!);
      const right = unwrap(expression.right!);
      if (target === 'module.exports' && right.type === 'Identifier') exported.set(right.name!, '*');
      else if (target === 'module.exports' && right.type === 'ObjectExpression') {
        for (const property of right.properties as { key?: AnyNode; value?: AnyNode }[]) {
          const key = propertyName(property.key);
          if (key && property.value?.type === 'Identifier') exported.set(property.value.name!, key);
        }
      } else {
        const named = /^(?:module\.)?exports\.(\w+)$/.exec(target);
        if (named && right.type === 'Identifier') exported.set(right.name!, named[1]);
      }
    } else {
      declare(statement, false);
    }
  }
  for (const [name, as] of exported) {
    const binding = bindings.get(name);
    if (binding?.kind === 'local') binding.exported = as;
  }
  return bindings;
}

/** The top-level names a cleanup's statements use (`prisma` in `await prisma.$disconnect();`), in order. */
function namesUsed(j: JSCodeshift, statements: string[]): string[] {
  const wrapper = j(`async function cleanup(signal) {\n${statements.join('\n')}\n}`);
  const declared = new Set<string>(['cleanup', 'signal']);
  wrapper.find(j.VariableDeclarator).forEach((path) => j(path.get('id')).find(j.Identifier).forEach((id) => void declared.add(id.node.name)));
  wrapper.find(j.Function).forEach((path) => path.node.params.forEach((param) => j(param as never).find(j.Identifier).forEach((id) => void declared.add(id.node.name))));
  const names: string[] = [];
  wrapper.find(j.Identifier).forEach((path) => {
    const parent = path.parent?.node as AnyNode & { property?: unknown; key?: unknown; computed?: boolean; shorthand?: boolean };
    if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.property === path.node && !parent.computed) return;
    if ((parent.type === 'ObjectProperty' || parent.type === 'Property') && parent.key === path.node && !parent.computed && !parent.shorthand) return;
    if (!declared.has(path.node.name) && !names.includes(path.node.name)) names.push(path.node.name);
  });
  return names;
}

/** `import { prisma } from './lib/prisma';` or `const { prisma } = require('./lib/prisma');`, in the target's style. */
function importStatement(name: string, imported: string, specifier: string, esm: boolean, quote: string): string {
  const from = `${quote}${specifier}${quote}`;
  if (esm) {
    if (imported === 'default') return `import ${name} from ${from};`;
    if (imported === '*') return `import * as ${name} from ${from};`;
    return `import { ${imported === name ? name : `${imported} as ${name}`} } from ${from};`;
  }
  if (imported === '*' || imported === 'default') return `const ${name} = require(${from});`;
  return `const { ${imported === name ? name : `${imported}: ${name}`} } = require(${from});`;
}

/**
 * A module that starts no server (the Prisma module, a shutdown helper) registers the signal handlers: the
 * routine is written into the one module of the package that starts the server (closing it first, then this
 * module's cleanup, in order), and this module's handlers are removed so it no longer exits the process.
 * Anything ambiguous (no or several server modules, another module with signal handlers, a name the cleanup
 * needs that the server module cannot import) leaves both files as they are, with the reason.
 */
function moveToServerModule(context: {
  j: JSCodeshift;
  root: Collection;
  source: string;
  file: TransformContext['file'];
  options: TransformContext['options'];
  report: TransformContext['report'];
  container: AnyNode;
  removedStatements: AnyNode[];
  announce: string[];
  cleanup: string[];
  deadline: { SIGTERM: number; SIGINT: number };
  firstLine: number | undefined;
}): string | undefined {
  const { j, root, source, file, options, report, container, removedStatements, firstLine } = context;
  const refuse = (reason: string): undefined => {
    report(`not rewritten: ${reason}`, firstLine);
    return undefined;
  };
  const absolute = resolve(file.path);
  const directory = nearestPackageDirectory(absolute);
  if (container.type !== 'Program' || !directory) return refuse(serverElsewhereProblem(file.path));
  const own = relative(directory, absolute).split(sep).join('/');
  const modules = packageModules(directory);
  const servers = modules.servers.filter((name) => name !== own);
  if (servers.length === 0) return refuse(serverElsewhereProblem(file.path));
  if (servers.length > 1) {
    return refuse(`this module starts no server, and several modules of the package may start one (${servers.map((name) => `\`${name}\``).join(', ')}): move this shutdown to the one that starts the HTTP server, close the server there before disconnecting, and stop exiting the process here`);
  }
  const [targetName] = servers;
  const where = `\`${targetName}\`, where the server is started`;
  const others = modules.signals.filter((name) => name !== own);
  if (others.length > 0) {
    return refuse(`this module starts no server and ${others.map((name) => `\`${name}\``).join(', ')} also handles SIGTERM/SIGINT: merge the shutdowns into one in ${where} (close the server, then disconnect), and stop exiting the process here`);
  }
  const targetPath = join(directory, targetName);
  const original = readFileSync(targetPath, 'utf8');
  if (original.includes('\uFFFD')) return refuse(`${where} is not valid UTF-8: move this shutdown there by hand`);
  const targetSource = original.replace(/\r\n/g, '\n');
  if (/NestFactory/.test(targetSource)) {
    return refuse(`the server in ${where} is a Nest app: remove this handler and disconnect in the PrismaService's onModuleDestroy, which the bootstrap's shutdown runs after the last response`);
  }
  let tj: JSCodeshift | undefined;
  let targetRoot: Collection | undefined;
  for (const parser of parsersFor(targetPath)) {
    try {
      tj = j.withParser(parser);
      targetRoot = tj(targetSource);
      break;
    } catch {
      tj = undefined;
    }
  }
  if (!tj || !targetRoot) return refuse(`${where} does not parse: move this shutdown there by hand`);
  const targetProgram = targetRoot.find(tj.Program).nodes()[0] as unknown as AnyNode & { body: AnyNode[] };
  const server = findServer(tj, targetRoot, targetSource, targetPath, targetProgram, () => false);
  if ('problem' in server) return refuse(`the server is started in \`${targetName}\`, but there ${server.problem}`);
  const atTop = (name: string): boolean => targetProgram.body.some((statement) => {
    const declaration = statement.type === 'ExportNamedDeclaration' ? (statement as { declaration?: AnyNode }).declaration : statement;
    return declaration?.type === 'VariableDeclaration' && (declaration.declarations as { id: AnyNode }[]).some((declarator) => declarator.id.type === 'Identifier' && declarator.id.name === name);
  });
  if (!server.edit && !atTop(server.name)) {
    return refuse(`the server is started inside a function in \`${targetName}\`: keep it in a module-level variable there, then run the codemod again`);
  }

  // The names the cleanup uses must mean the same thing in the server module: imported from the same module, or importable.
  const ownBindings = topLevelBindings(root.find(j.Program).nodes()[0] as unknown as { body: AnyNode[] }, source, absolute);
  const targetBindings = topLevelBindings(targetProgram, targetSource, targetPath);
  const esm = targetRoot.find(tj.ImportDeclaration).length > 0 || !/\brequire\s*\(/.test(targetSource);
  const quote = /(?:from\s+|require\(\s*)(['"])/.exec(targetSource)?.[1] ?? "'";
  const jsSuffix = /from\s+['"]\.{1,2}\/[^'"]+\.js['"]/.test(targetSource);
  const imports: string[] = [];
  for (const name of namesUsed(j, [...context.announce, ...context.cleanup])) {
    const binding = ownBindings.get(name);
    if (!binding) continue; // a global (console, process, setTimeout)
    const wanted = binding.kind === 'import' ? binding : binding.exported !== undefined ? { module: moduleKey(absolute, './' + own.split('/').pop()), imported: binding.exported } : undefined;
    if (!wanted) return refuse(`the shutdown uses \`${name}\`, which this module does not export: export it, then run the codemod again (it moves the shutdown to ${where})`);
    const theirs = targetBindings.get(name);
    if (theirs) {
      if (theirs.kind === 'import' && theirs.module === (binding.kind === 'import' ? binding.module : moduleKey(absolute, './' + own.split('/').pop())) && theirs.imported === wanted.imported) continue;
      return refuse(`the shutdown uses \`${name}\`, which means something else in \`${targetName}\`: move this shutdown there by hand`);
    }
    const specifier = binding.kind === 'import'
      ? binding.module.startsWith('/') ? importSpecifier(targetPath, binding.module, jsSuffix) : binding.module
      : importSpecifier(targetPath, absolute, jsSuffix);
    imports.push(importStatement(name, wanted.imported, specifier, esm, quote));
  }

  // The registrations' own comments ("close the pool when the platform stops us") go with the cleanup they describe.
  const comments = removedStatements.flatMap((statement) => leadingComments(statement).map((comment) => `    ${source.slice(comment.start, comment.end)}`));
  const listenStatement = targetProgram.body.find((statement) => statement.start <= server.listen.start && server.listen.end <= statement.end)!;
  const text = routine({
    typescript: /\.(?:ts|tsx|mts|cts)$/.test(targetPath),
    server: server.name,
    stop: server.stop,
    announce: context.announce,
    cleanup: [...comments, ...context.cleanup],
    indent: '',
    deadline: context.deadline,
    quote,
    shutdownName: uniqueName(tj, targetRoot, 'shutdown'),
    guardName: uniqueName(tj, targetRoot, 'shuttingDown'),
  });
  const targetEdits: Edit[] = [{ start: listenStatement.end, end: listenStatement.end, text: `\n\n${text}` }];
  if (server.edit) targetEdits.push(server.edit);
  if (imports.length > 0) {
    const lastImport = targetProgram.body.filter((statement) => statement.type === 'ImportDeclaration' || (statement.type === 'VariableDeclaration' && /^\s*(?:const|let|var)[^=]*=\s*require\(/.test(targetSource.slice(statement.start, statement.end)))).at(-1);
    if (lastImport) targetEdits.push({ start: lastImport.end, end: lastImport.end, text: `\n${imports.join('\n')}` });
    else targetEdits.push({ start: 0, end: 0, text: `${imports.join('\n')}\n` });
  }
  let rewritten = applyEdits(targetSource, targetEdits);
  if (original.includes('\r\n')) rewritten = rewritten.replace(/\r?\n/g, '\r\n');
  // The server module must parse and be clean for the rule afterwards, as every rewritten file is.
  const after = verifyWithPluginRule('shutdown-must-close-server', rule, rewritten, targetPath);
  if (after.length > 0) return refuse(`the routine written into \`${targetName}\` would still be reported (${after[0].message}): move this shutdown there by hand`);

  const output = withoutUnusedImports(j, removeWhole(source, removedStatements), removedStatements.map((statement) => source.slice(statement.start, statement.end)).join('\n'));
  if (options.dry) {
    report(`would move this module's SIGTERM/SIGINT shutdown to ${where} (dry run): it closes the server there, then runs this cleanup`);
  } else {
    // Written once, and only over the text this run read: another tool may have changed it meanwhile.
    if (readFileSync(targetPath, 'utf8') !== original) return refuse(`\`${targetName}\` changed while the codemod ran: run it again`);
    writeLinkedFile(file.path, targetPath, rewritten);
    report(`moved this module's SIGTERM/SIGINT shutdown to ${where}: it closes the server there, then runs this cleanup, and this module no longer exits the process`);
  }
  return file.source.includes('\r\n') ? output.replace(/\r?\n/g, '\r\n') : output;
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

  // A supervisor (the rule's supervisor messages): its children close their own servers, so there is no server
  // here for the routine to close, and which child to wait for is the project's call (a proxy in front of the
  // backend must outlive it).
  const supervisor = findings.filter((finding) => finding.messageId === 'supervisorExitsFirst' || finding.messageId === 'supervisorMissingSignal');
  if (supervisor.length > 0) {
    report(
      'not rewritten: this module runs its servers as child processes and passes the signal on to them, and each child closes its own server: pass both SIGTERM and SIGINT on, and exit only once the children have exited (`child.on(\'exit\', …)`), with their exit code',
      Math.min(...supervisor.map((finding) => finding.line)),
    );
    return undefined;
  }

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

  // The Prisma module's own handler (the rule's serverElsewhere): the routine goes where the server is started.
  if (findings.some((finding) => finding.messageId === 'serverElsewhere')) {
    return moveToServerModule({ j, root, source, file, options, report, container: container!, removedStatements, announce: cleanup.slice(0, before), cleanup: cleanup.slice(before), deadline, firstLine });
  }

  const byImport = findings.find((finding) => finding.messageId === 'serverStartedByImport');
  if (byImport) {
    const [, callee, module] = /`(\w+)\(\)` from `([^`]+)`/.exec(byImport.message) ?? [];
    report(`not rewritten: the server is started by \`${callee}()\` from \`${module}\`, which returns nothing this codemod can close: make \`${callee}()\` return the server, keep it here (\`const server = ${callee}(…)\`) and close it in this handler, waiting for the close, before disconnecting and exiting`, firstLine);
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
