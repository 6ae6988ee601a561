import type { ASTPath, CallExpression, Collection, ExpressionStatement, JSCodeshift, Node } from 'jscodeshift';
import { DATA_RECEIVER } from '../src/shutdown/shutdown-steps';
import { applyEdits, offsets as at, type TextEdit as Edit } from './lib/text-edits';
import rule from '../src/rules/shutdown-must-close-server';
import { createTransform, leaveUndecodableFilesAlone, type TransformContext } from './lib/transform';

const SIGNALS = new Set(['SIGTERM', 'SIGINT']);
const REGISTRATION_METHODS = new Set(['on', 'once', 'addListener']);
/** Below Docker's 10 s and Kubernetes' 30 s; Fly's default is 5 s (set `--timeout-ms=4000` there). */
const DEFAULT_TIMEOUT_MS = 8000;


function isProcessSignalRegistration(j: JSCodeshift, statement: ExpressionStatement): CallExpression | undefined {
  const expression = statement.expression;
  if (!j.CallExpression.check(expression) || !j.MemberExpression.check(expression.callee)) return undefined;
  const { object, property } = expression.callee;
  if (!j.Identifier.check(object) || object.name !== 'process' || !j.Identifier.check(property) || !REGISTRATION_METHODS.has(property.name)) return undefined;
  const signal = expression.arguments[0];
  const value = signal && (j.StringLiteral.check(signal) || j.Literal.check(signal)) ? (signal as { value: unknown }).value : undefined;
  return typeof value === 'string' && SIGNALS.has(value) ? expression : undefined;
}

function isProcessExitStatement(j: JSCodeshift, statement: Node): boolean {
  if (!j.ExpressionStatement.check(statement)) return false;
  const call = statement.expression;
  return (
    j.CallExpression.check(call) &&
    j.MemberExpression.check(call.callee) &&
    j.Identifier.check(call.callee.object) &&
    call.callee.object.name === 'process' &&
    j.Identifier.check(call.callee.property) &&
    call.callee.property.name === 'exit'
  );
}

const CLOSE_CALL = /([\w$.]+)\s*\.\s*(?:close|stop|terminate)\s*\(/g;

/** Whether code closes something that is not a database, cache or queue client. */
function closesNonDataReceiver(text: string): boolean {
  return [...text.matchAll(CLOSE_CALL)].some((match) => !DATA_RECEIVER.test(match[1]));
}

/** Whether a handler, or the function of this file it calls, closes the server. */
function closesServer(j: JSCodeshift, root: Collection, source: string, handler: Node | undefined): boolean {
  if (!handler) return false;
  const text = source.slice(at(handler).start, at(handler).end);
  if (closesNonDataReceiver(text)) return true;
  const called = /^(?:async\s*)?\([^)]*\)\s*=>\s*(?:void\s+|await\s+)?(\w+)\s*\(|^(\w+)$/.exec(text.trim());
  const name = called?.[1] ?? called?.[2];
  if (!name) return false;
  return root
    .find(j.Function)
    .filter((path) => {
      const node = path.node as { id?: { name?: string } | null };
      const declarator = path.parent?.node as { id?: { name?: string } } | undefined;
      return node.id?.name === name || (j.VariableDeclarator.check(declarator) && declarator.id?.name === name);
    })
    .some((path) => closesNonDataReceiver(source.slice(at(path.node).start, at(path.node).end)));
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

function uniqueName(j: JSCodeshift, root: Collection, wanted: string): string {
  const taken = new Set(root.find(j.Identifier).nodes().map((node) => node.name));
  if (!taken.has(wanted)) return wanted;
  for (let suffix = 2; ; suffix++) if (!taken.has(`${wanted}${suffix}`)) return `${wanted}${suffix}`;
}

/** How the server is stopped: Node servers drain with close() + idle sweeps; Fastify/Nest close() drains itself. */
function findServer(
  j: JSCodeshift,
  root: Collection,
  source: string,
): { stop: 'node' | 'app'; name: string; edit?: Edit } | { problem: string; line?: number } {
  const listens = root.find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'listen' } } });
  if (listens.length === 0) return { problem: 'no `listen()` call in this file: the server is started elsewhere, pass it to the shutdown routine there' };
  if (listens.length > 1) return { problem: 'several `listen()` calls: close each server in the shutdown routine by hand' };
  const listen = listens.paths()[0];
  const usesAppClose = /from ['"]fastify['"]|require\(['"]fastify['"]\)|NestFactory/.test(source);
  const callee = listen.node.callee as unknown as { object: Node };
  let path: ASTPath<Node> = listen as unknown as ASTPath<Node>;
  while (j.AwaitExpression.check(path.parent?.node)) path = path.parent;
  const parent = path.parent?.node as Node | undefined;
  const line = (listen.node as { loc?: { start: { line: number } } }).loc?.start.line;
  if (usesAppClose) {
    if (!j.Identifier.check(callee.object)) return { problem: 'the app that listens is not a variable', line };
    return { stop: 'app', name: callee.object.name };
  }
  if (j.VariableDeclarator.check(parent) && j.Identifier.check(parent.id)) return { stop: 'node', name: parent.id.name };
  if (!j.ExpressionStatement.check(parent)) return { problem: 'the server returned by `listen()` is not kept in a variable this routine can reach', line };
  const statement = path.parent as ASTPath<ExpressionStatement>;
  if (!j.Program.check(statement.parent?.node)) return { problem: '`listen()` runs inside a function: keep its server where the shutdown routine can reach it', line };
  const name = uniqueName(j, root, 'server');
  const { start } = at(parent);
  return { stop: 'node', name, edit: { start, end: start, text: `const ${name} = ` } };
}

function routine(options: {
  typescript: boolean;
  server: string;
  stop: 'node' | 'app';
  cleanup: string[];
  indent: string;
  timeoutMs: number;
  quote: string;
  shutdownName: string;
  guardName: string;
}): string {
  const { typescript, server, stop, indent, timeoutMs, quote: q, shutdownName, guardName } = options;
  const signalType = typescript ? ': string' : '';
  const returnType = typescript ? ': Promise<void>' : '';
  const promiseType = typescript ? '<void>' : '';
  const drain =
    stop === 'app'
      ? [`    await ${server}.close();`]
      : [
          `    // Stop accepting connections and let in-flight requests finish; keep-alive sockets are closed as`,
          `    // soon as they turn idle, so the drain does not wait for keepAliveTimeout.`,
          `    const closeIdleConnections = setInterval(() => ${server}.closeIdleConnections(), 100);`,
          `    await new Promise${promiseType}((resolve, reject) => ${server}.close((error) => (error ? reject(error) : resolve())));`,
          `    clearInterval(closeIdleConnections);`,
        ];
  const lines = [
    `let ${guardName} = false;`,
    ``,
    `async function ${shutdownName}(signal${signalType})${returnType} {`,
    `  if (${guardName}) return;`,
    `  ${guardName} = true;`,
    `  // Exit on our own before the platform's SIGKILL (Docker 10 s, Fly 5 s) if something hangs.`,
    `  setTimeout(() => {`,
    `    console.error(\`\${signal}: shutdown took longer than ${timeoutMs} ms, exiting\`);`,
    `    process.exit(1);`,
    `  }, ${timeoutMs}).unref();`,
    `  try {`,
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

function rewrite({ file, j, options, report }: TransformContext): string | undefined {
  const source = file.source;
  const root = j(source);
  const registrations = root
    .find(j.ExpressionStatement)
    .filter((path) => isProcessSignalRegistration(j, path.node) !== undefined);
  if (registrations.length === 0) return undefined;
  // Handlers that already close the server (this codemod's own routine included) are the rule's
  // business: reordering hand-written shutdown code is not something to guess at.
  if (registrations.paths().some((path) => closesServer(j, root, source, isProcessSignalRegistration(j, path.node)!.arguments[1]))) return undefined;

  const lineOf = (node: Node): number | undefined => (node as { loc?: { start: { line: number } } }).loc?.start.line;
  const cleanups: string[][] = [];
  for (const path of registrations.paths()) {
    const handler = isProcessSignalRegistration(j, path.node)!.arguments[1];
    if (!j.Program.check(path.parent?.node)) {
      report('the signal handler is registered inside a function or block: rewrite it by hand', lineOf(path.node));
      return undefined;
    }
    if (!(j.ArrowFunctionExpression.check(handler) || j.FunctionExpression.check(handler)) || !j.BlockStatement.check(handler.body)) {
      report('the signal handler is not an inline function with a body: rewrite it by hand', lineOf(path.node));
      return undefined;
    }
    const body = handler.body.body;
    const exits = body.filter((statement) => isProcessExitStatement(j, statement));
    const nestedExit = j(handler.body).find(j.CallExpression, { callee: { object: { name: 'process' }, property: { name: 'exit' } } }).length > exits.length;
    if (nestedExit || (exits.length > 0 && body.indexOf(exits[exits.length - 1]) !== body.length - 1)) {
      report('`process.exit()` is not the last statement of the handler: its cleanup cannot be moved safely', lineOf(path.node));
      return undefined;
    }
    const handlerIndent = body[0] ? indentOf(source, at(body[0]).start) : '';
    cleanups.push(
      body
        .filter((statement) => !isProcessExitStatement(j, statement))
        .map((statement) => {
          const node = at(statement);
          const leading = ((statement as { comments?: unknown[] }).comments ?? []).map(at).filter((comment) => comment.end <= node.start);
          const start = leading.length > 0 ? Math.min(...leading.map((comment) => comment.start)) : node.start;
          return reindent(source.slice(start, node.end), handlerIndent, '    ');
        }),
    );
  }
  const [cleanup] = cleanups;
  if (cleanups.some((other) => other.join('\n') !== cleanup.join('\n'))) {
    report('the SIGTERM and SIGINT handlers do different things: merge them into one shutdown by hand', lineOf(registrations.paths()[0].node));
    return undefined;
  }

  const server = findServer(j, root, source);
  if ('problem' in server) {
    report(`not rewritten: ${server.problem}`, server.line ?? lineOf(registrations.paths()[0].node));
    return undefined;
  }

  const timeoutMs = Number(options['timeout-ms'] ?? DEFAULT_TIMEOUT_MS);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    report(`skipped: --timeout-ms must be a positive whole number of milliseconds, not ${JSON.stringify(options['timeout-ms'])}`);
    return undefined;
  }
  const first = at(registrations.paths()[0].node);
  const text = routine({
    typescript: /\.(?:ts|tsx|mts|cts)$/.test(file.path),
    server: server.name,
    stop: server.stop,
    cleanup,
    indent: indentOf(source, first.start),
    timeoutMs,
    quote: /['"]/.exec(source.slice(first.start, first.end))?.[0] ?? "'",
    shutdownName: uniqueName(j, root, 'shutdown'),
    guardName: uniqueName(j, root, 'shuttingDown'),
  });
  const edits: Edit[] = [{ start: first.start, end: first.end, text }];
  for (const path of registrations.paths().slice(1)) {
    const node = at(path.node);
    // Remove the statement with its line and one blank line before it.
    let start = lineStart(source, node.start);
    const previous = source.lastIndexOf('\n', start - 2);
    if (source.slice(previous + 1, start).trim() === '') start = previous + 1;
    const newline = source.indexOf('\n', node.end);
    edits.push({ start, end: newline === -1 ? node.end : newline + 1, text: '' });
  }
  if (server.edit) edits.push(server.edit);
  const output = applyEdits(source, edits);
  return source.includes('\r\n') ? output.replace(/\r?\n/g, '\r\n') : output;
}

const transform = createTransform(/SIG(?:TERM|INT)/, rewrite, { name: 'shutdown-must-close-server', rule });
export default leaveUndecodableFilesAlone(transform);
