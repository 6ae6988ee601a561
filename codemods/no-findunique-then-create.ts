import { resolve } from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { parse } from '@typescript-eslint/typescript-estree';
import { findProperty, getPropertyName, unwrapExpression, walk } from '../src/core/ast';
import { READ_METHODS, getModelCall, type ModelCall } from '../src/prisma/prisma-model-call';
import rule from '../src/rules/no-findunique-then-create';
import { isUniqueWhere, readPrismaSchema, supportsNativeUpsert, type PrismaSchema } from './lib/prisma-schema';
import { projectRoot } from './lib/prisma-singleton';
import { applyEdits, OverlappingEditsError, type TextEdit } from './lib/text-edits';
import { createReporter } from './lib/report';
import { leaveUndecodableFilesAlone } from './lib/transform';
import { lintWithPluginRule } from './lib/apply-rule-fixes';

type Node = TSESTree.Node;
type Statement = TSESTree.Statement;

const FUNCTION_TYPES = new Set<string>([AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.FunctionExpression, AST_NODE_TYPES.ArrowFunctionExpression]);
const LOG_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'verbose', 'fatal']);
/** Express, Fastify, Koa, Hapi and Hono ways of answering a request. */
const RESPONSE_METHODS = new Set(['status', 'code', 'json', 'send', 'sendStatus', 'end', 'header', 'set', 'type', 'response', 'redirect', 'render']);
const WRITE_METHODS = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany']);
const NESTED_WRITES = ['create', 'connect', 'connectOrCreate', 'createMany', 'upsert', 'set', 'update', 'updateMany', 'delete', 'deleteMany', 'disconnect'];

// ─── Small AST helpers ────────────────────────────────────────────────────────────────────────────

function enclosingFunction(node: Node): Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (FUNCTION_TYPES.has(current.type)) return current;
  return undefined;
}

function objectArgument(call: TSESTree.CallExpression): TSESTree.ObjectExpression | undefined {
  const argument = call.arguments[0] && unwrapExpression(call.arguments[0]);
  return argument?.type === AST_NODE_TYPES.ObjectExpression ? argument : undefined;
}

function asObject(node: Node | undefined): TSESTree.ObjectExpression | undefined {
  const value = node && unwrapExpression(node);
  return value?.type === AST_NODE_TYPES.ObjectExpression ? value : undefined;
}

function keysOf(object: Node | undefined): string[] | undefined {
  const value = asObject(object);
  if (!value) return undefined;
  const names = value.properties.map((property) => (property.type === AST_NODE_TYPES.Property ? getPropertyName(property) : undefined));
  return names.every((name): name is string => name !== undefined) ? names : undefined;
}

function isName(node: Node | null | undefined, name: string): boolean {
  const value = node && unwrapExpression(node);
  return value?.type === AST_NODE_TYPES.Identifier && value.name === name;
}

function references(node: Node | null | undefined, name: string): boolean {
  if (!node) return false;
  let found = false;
  walk(node, (current) => {
    if (current.type === AST_NODE_TYPES.Identifier && current.name === name) found = true;
  });
  return found;
}

/** The names an expression reads (not property keys or `.member` names). */
function namesRead(node: Node): Set<string> {
  const names = new Set<string>();
  walk(node, (current) => {
    if (current.type !== AST_NODE_TYPES.Identifier) return;
    const parent = current.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.property === current && !parent.computed) return;
    if (parent?.type === AST_NODE_TYPES.Property && parent.key === current && !parent.computed && !parent.shorthand) return;
    names.add(current.name);
  });
  return names;
}

/** The names declared or assigned in `[start, end)` of `scope`: a value read there may not be the one read elsewhere. */
function namesBoundBetween(scope: Node, start: number, end: number): Set<string> {
  const names = new Set<string>();
  const collect = (target: Node) => walk(target, (current) => {
    if (current.type === AST_NODE_TYPES.Identifier) names.add(current.name);
  });
  walk(scope, (current) => {
    if (current.range[0] < start || current.range[1] > end) return;
    if (current.type === AST_NODE_TYPES.VariableDeclarator) collect(current.id);
    else if (current.type === AST_NODE_TYPES.AssignmentExpression) collect(current.left);
    else if (FUNCTION_TYPES.has(current.type)) for (const param of (current as TSESTree.FunctionLike).params) collect(param);
  });
  return names;
}

function statementsOf(statement: Statement): Statement[] {
  return statement.type === AST_NODE_TYPES.BlockStatement ? statement.body : [statement];
}

function exits(statement: Statement | undefined): boolean {
  const last = statement && statementsOf(statement).at(-1);
  return (
    last?.type === AST_NODE_TYPES.ReturnStatement || last?.type === AST_NODE_TYPES.ThrowStatement ||
    last?.type === AST_NODE_TYPES.ContinueStatement || last?.type === AST_NODE_TYPES.BreakStatement
  );
}

function bodyOf(node: Node | undefined): Statement[] | undefined {
  if (node?.type === AST_NODE_TYPES.BlockStatement || node?.type === AST_NODE_TYPES.Program) return node.body as Statement[];
  if (node?.type === AST_NODE_TYPES.SwitchCase) return node.consequent;
  return undefined;
}

function followingSiblings(statement: Node): Statement[] {
  const body = bodyOf(statement.parent);
  return body ? body.slice(body.indexOf(statement as Statement) + 1) : [];
}

/** The statement that holds a value, when the value flows only into it: `x = await v`, `const x = v`, `return v`, `await v`. */
function holdingStatement(value: Node): Statement | undefined {
  let node = value;
  for (let parent = node.parent; parent; node = parent, parent = node.parent) {
    const wraps = parent.type === AST_NODE_TYPES.AwaitExpression || parent.type === AST_NODE_TYPES.TSAsExpression || parent.type === AST_NODE_TYPES.TSNonNullExpression;
    // x ?? create(), x ? x : create(): the create's value is the whole expression's on its path.
    const branch = (parent.type === AST_NODE_TYPES.LogicalExpression && parent.right === node) || (parent.type === AST_NODE_TYPES.ConditionalExpression && parent.test !== node);
    if (!wraps && !branch) break;
  }
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.ExpressionStatement || parent?.type === AST_NODE_TYPES.ReturnStatement) return parent;
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.operator === '=' && parent.right === node && parent.parent?.type === AST_NODE_TYPES.ExpressionStatement) return parent.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.parent?.type === AST_NODE_TYPES.VariableDeclaration && parent.parent.declarations.length === 1) return parent.parent;
  return undefined;
}

// ─── What a statement does ────────────────────────────────────────────────────────────────────────

/** An expression with no effect when it runs: no call, no `await`, no assignment. */
function isInert(node: Node): boolean {
  let inert = true;
  walk(node, (current) => {
    if (
      current.type === AST_NODE_TYPES.CallExpression || current.type === AST_NODE_TYPES.NewExpression || current.type === AST_NODE_TYPES.AwaitExpression ||
      current.type === AST_NODE_TYPES.AssignmentExpression || current.type === AST_NODE_TYPES.UpdateExpression || current.type === AST_NODE_TYPES.YieldExpression ||
      current.type === AST_NODE_TYPES.TaggedTemplateExpression || (current.type === AST_NODE_TYPES.UnaryExpression && current.operator === 'delete')
    ) {
      inert = false;
    }
  });
  return inert;
}

/** `console.log(...)`, `this.logger.info(...)`, `request.log.warn(...)`. */
function isLogging(node: Node): boolean {
  let call = unwrapExpression(node);
  if (call.type === AST_NODE_TYPES.AwaitExpression) call = unwrapExpression(call.argument);
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrapExpression(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || !LOG_METHODS.has(getPropertyName(callee) ?? '')) return false;
  const object = unwrapExpression(callee.object);
  const name = object.type === AST_NODE_TYPES.Identifier ? object.name : object.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(object) : undefined;
  return name !== undefined && /^(?:console|log|\w*logger)$/i.test(name);
}

interface Response {
  /** The HTTP status it answers with: a number, `unknown` when not a literal, undefined when not set (200). */
  status?: number | 'unknown';
}

/** `res.status(409).json({...})`, `reply.code(201).send(x)`, `h.response().code(200)`, `c.json(body, 409)`. */
function responseOf(node: Node): Response | undefined {
  let current = unwrapExpression(node);
  if (current.type === AST_NODE_TYPES.AwaitExpression) current = unwrapExpression(current.argument);
  if (current.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const response: Response = {};
  while (current.type === AST_NODE_TYPES.CallExpression) {
    const callee: Node = unwrapExpression(current.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const method = getPropertyName(callee) ?? '';
    if (!RESPONSE_METHODS.has(method) || !current.arguments.every(isInert)) return undefined;
    const [first, second] = current.arguments;
    const status = ['status', 'code', 'sendStatus'].includes(method) ? first : ['json', 'send'].includes(method) ? second : undefined;
    const literal = status && unwrapExpression(status);
    const statusOption = literal?.type === AST_NODE_TYPES.ObjectExpression ? findProperty(literal, 'status')?.value : undefined;
    const value = statusOption ? unwrapExpression(statusOption) : literal;
    if (value) response.status = value.type === AST_NODE_TYPES.Literal && typeof value.value === 'number' ? value.value : 'unknown';
    current = unwrapExpression(callee.object);
  }
  return current.type === AST_NODE_TYPES.Identifier || current.type === AST_NODE_TYPES.MemberExpression || current.type === AST_NODE_TYPES.ThisExpression ? response : undefined;
}

/** No effect but logging, answering, or handing back a value: what can run twice, or for a row this request did not create. */
function isQuiet(statement: Statement): boolean {
  switch (statement.type) {
    case AST_NODE_TYPES.ExpressionStatement: {
      const expression = unwrapExpression(statement.expression);
      if (isLogging(expression) || responseOf(expression)) return true;
      // Koa: ctx.body = …, ctx.status = 201
      return expression.type === AST_NODE_TYPES.AssignmentExpression && expression.left.type === AST_NODE_TYPES.MemberExpression && isInert(expression.right);
    }
    case AST_NODE_TYPES.ReturnStatement:
      return !statement.argument || isInert(statement.argument) || responseOf(statement.argument) !== undefined;
    case AST_NODE_TYPES.VariableDeclaration:
      return statement.declarations.every((declarator) => !declarator.init || isInert(declarator.init));
    case AST_NODE_TYPES.ContinueStatement:
    case AST_NODE_TYPES.BreakStatement:
    case AST_NODE_TYPES.EmptyStatement:
      return true;
    default:
      return false;
  }
}

interface Rejection {
  line: number;
  /** For the report: "answers 409", "throws `new ConflictException(...)`". */
  what: string;
  /** How the check refuses, said as what to do on P2002. */
  sameWay: string;
  /** `throw X` preceded only by logging: the same `throw X` can run on P2002. */
  thrown?: TSESTree.Expression;
}

/** How the branch for an existing row refuses the request, if it does: a throw, an HTTP error status, an error handed on. */
function rejectionOf(statements: Statement[], describe: (node: Node) => string): Rejection | undefined {
  const last = statements.at(-1);
  if (last?.type === AST_NODE_TYPES.ThrowStatement) {
    const thrown = describe(last.argument);
    return {
      line: last.loc.start.line,
      what: `throws \`${thrown}\``,
      sameWay: `throw the same error as the check does (\`${thrown}\`)`,
      thrown: statements.slice(0, -1).every((statement) => statement.type === AST_NODE_TYPES.ExpressionStatement && isLogging(statement.expression)) ? last.argument : undefined,
    };
  }
  for (const statement of statements) {
    const value = statement.type === AST_NODE_TYPES.ExpressionStatement ? statement.expression : statement.type === AST_NODE_TYPES.ReturnStatement ? statement.argument : undefined;
    if (!value) continue;
    // Koa: ctx.status = 409
    const assigned = unwrapExpression(value);
    const statusSet = assigned.type === AST_NODE_TYPES.AssignmentExpression && assigned.left.type === AST_NODE_TYPES.MemberExpression && getPropertyName(assigned.left) === 'status' ? unwrapExpression(assigned.right) : undefined;
    const status = statusSet ? (statusSet.type === AST_NODE_TYPES.Literal ? statusSet.value : undefined) : responseOf(value)?.status;
    if (typeof status === 'number' && status >= 400) return { line: statement.loc.start.line, what: `answers ${status}`, sameWay: `answer ${status} as the check does` };
    const call = unwrapExpression(value);
    if (call.type !== AST_NODE_TYPES.CallExpression) continue;
    const callee = unwrapExpression(call.callee);
    // Boom.conflict(), createError(409), next(error), ctx.throw(409)
    const object = callee.type === AST_NODE_TYPES.MemberExpression ? unwrapExpression(callee.object) : undefined;
    const isBoom = object?.type === AST_NODE_TYPES.Identifier && object.name === 'Boom';
    const isError = callee.type === AST_NODE_TYPES.Identifier && (/^create(?:Http)?Error$/.test(callee.name) || (callee.name === 'next' && call.arguments.length > 0));
    const isThrow = callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(callee) === 'throw';
    if (isBoom || isError || isThrow) return { line: statement.loc.start.line, what: `answers with \`${describe(value)}\``, sameWay: `answer with \`${describe(value)}\` as the check does` };
  }
  return undefined;
}

// ─── Which read decides the create, and what runs when it finds the row ────────────────────────────

type Polarity = 'missing' | 'present';

function isNullish(node: Node): boolean {
  const value = unwrapExpression(node);
  return (value.type === AST_NODE_TYPES.Literal && value.value === null) || (value.type === AST_NODE_TYPES.Identifier && value.name === 'undefined');
}

/** `!x`, `x == null`, `x === undefined` test for "missing"; `x`, `!!x`, `x !== null` for "present". Anything else (`x?.valid`) is neither. */
function polarityOf(test: Node, name: string): Polarity | undefined {
  const node = unwrapExpression(test);
  if (isName(node, name)) return 'present';
  if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '!') {
    const inner = polarityOf(node.argument, name);
    return inner && (inner === 'present' ? 'missing' : 'present');
  }
  if (node.type === AST_NODE_TYPES.BinaryExpression && ['==', '===', '!=', '!=='].includes(node.operator)) {
    const other = isName(node.left, name) ? node.right : isName(node.right, name) ? node.left : undefined;
    if (!other || !isNullish(other)) return undefined;
    return node.operator.startsWith('=') ? 'missing' : 'present';
  }
  return undefined;
}

/** What runs instead of the create when the read found the row. */
type Found = { row: true } | { expression: Node } | { statements: Statement[] };

interface Decision {
  found: Found;
  /** The statements after the create that run only on the missing path. */
  after: Statement[];
}

/** Why a read is not the one that decides the create. */
type NotDecided = 'present' | 'unclear';

function followingUpTo(statement: Statement, root: Node): Statement[] {
  const result: Statement[] = [];
  for (let node: Node = statement; node !== root && node.parent; node = node.parent) {
    result.push(...followingSiblings(node));
    if (node.parent === root) break;
  }
  return result;
}

/**
 * Whether `create` runs only when the read held in `name` found nothing, and if so what runs instead
 * when it found the row: the other branch of `if (x) … else create`, the early exit of
 * `if (x) return …; create`, what follows `if (!x) { create; return }`, or the row itself (`x ?? create()`).
 */
function decidedBy(create: TSESTree.CallExpression, statement: Statement, read: ModelCall, name: string | undefined): Decision | NotDecided | undefined {
  let child: Node = create;
  for (let current: Node | undefined = create.parent; current && !FUNCTION_TYPES.has(current.type); child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.CatchClause && read.method.endsWith('OrThrow') && current.parent?.type === AST_NODE_TYPES.TryStatement) {
      const block = current.parent.block;
      const readStatement = block.body.find((item) => item.range[0] <= read.call.range[0] && read.call.range[1] <= item.range[1]);
      if (!readStatement) continue;
      return { found: { statements: followingSiblings(readStatement) }, after: followingUpTo(statement, current.body) };
    }
    if (name === undefined) continue;
    if ((current.type === AST_NODE_TYPES.IfStatement || current.type === AST_NODE_TYPES.ConditionalExpression) && child !== current.test && references(current.test, name)) {
      const polarity = polarityOf(current.test, name);
      if (!polarity) return 'unclear';
      const inConsequent = child === current.consequent;
      if ((polarity === 'missing') !== inConsequent) return 'present';
      const other = inConsequent ? current.alternate : current.consequent;
      if (current.type === AST_NODE_TYPES.ConditionalExpression) return { found: { expression: other! }, after: [] };
      const after = followingUpTo(statement, child);
      if (other) return { found: { statements: statementsOf(other as Statement) }, after };
      if (!exits(current.consequent)) return { found: { statements: [] }, after };
      // if (!x) { …create…; return } …what runs when x exists…
      const rest = followingSiblings(current);
      if (!bodyOf(current.parent) || (!exits(rest.at(-1)) && !FUNCTION_TYPES.has(current.parent?.parent?.type ?? ''))) return 'unclear';
      return { found: { statements: rest }, after };
    }
    if (current.type === AST_NODE_TYPES.LogicalExpression && child === current.right && references(current.left, name)) {
      if (!isName(current.left, name)) return 'unclear';
      return current.operator === '&&' ? 'present' : { found: { row: true }, after: [] };
    }
    const body = bodyOf(current);
    if (body) {
      for (const earlier of body.slice(0, body.indexOf(child as Statement))) {
        if (earlier.range[0] < read.call.range[1] || earlier.type !== AST_NODE_TYPES.IfStatement || !references(earlier.test, name)) continue;
        const polarity = polarityOf(earlier.test, name);
        if (!polarity || earlier.alternate || !exits(earlier.consequent)) return 'unclear';
        if (polarity === 'missing') return 'present';
        return { found: { statements: statementsOf(earlier.consequent) }, after: followingUpTo(statement, current) };
      }
    }
  }
  return undefined;
}

function readVariable(read: ModelCall): string | undefined {
  let holder: Node = read.call;
  while (holder.parent?.type === AST_NODE_TYPES.AwaitExpression || holder.parent?.type === AST_NODE_TYPES.TSAsExpression) holder = holder.parent;
  const parent = holder.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left.type === AST_NODE_TYPES.Identifier) return parent.left.name;
  return undefined;
}

type FoundKind =
  /** Hands the existing row on, or nothing: reading it back after P2002 gives the caller the same. */
  | { kind: 'row' }
  /** Answers without the row (`return { message: 'already registered' }`), with no other effect. */
  | { kind: 'answer'; line: number }
  | ({ kind: 'reject' } & Rejection)
  /** Writes; `update` when it is one `update` of the same model next to quiet statements only. */
  | { kind: 'write'; line: number; update?: ModelCall; statement?: Statement }
  | { kind: 'other'; line: number };

function classifyFound(found: Found, name: string | undefined, model: string, describe: (node: Node) => string): FoundKind {
  if ('row' in found) return { kind: 'row' };
  if ('expression' in found) return name !== undefined && isName(found.expression, name) ? { kind: 'row' } : { kind: 'other', line: found.expression.loc.start.line };
  const { statements } = found;
  const rejection = rejectionOf(statements, describe);
  if (rejection) return { kind: 'reject', ...rejection };
  const writes: ModelCall[] = [];
  for (const statement of statements) {
    walk(statement, (node) => {
      const call = getModelCall(node);
      if (call && WRITE_METHODS.has(call.method)) writes.push(call);
    });
  }
  if (writes.length > 0) {
    const [write] = writes;
    const statement = holdingStatement(write.call);
    const single = writes.length === 1 && write.method === 'update' && write.model === model && statement && statements.includes(statement);
    const othersQuiet = statements.every((item) => item === statement || isQuiet(item));
    return { kind: 'write', line: write.call.loc.start.line, ...(single && othersQuiet ? { update: write, statement } : {}) };
  }
  const noisy = statements.find((statement) => !isQuiet(statement));
  if (noisy) return { kind: 'other', line: noisy.loc.start.line };
  const answer = statements.find((statement) => {
    const value = statement.type === AST_NODE_TYPES.ReturnStatement ? statement.argument : statement.type === AST_NODE_TYPES.ExpressionStatement && responseOf(statement.expression) ? statement.expression : undefined;
    return value && (name === undefined || !references(value, name));
  });
  return answer ? { kind: 'answer', line: answer.loc.start.line } : { kind: 'row' };
}

// ─── The fields a read pins and a create sets ─────────────────────────────────────────────────────

interface Pinned {
  field: string;
  value: string;
}

const normalized = (text: string): string => text.replace(/\s+/g, '');

/** `{ email }`, `{ a: x, b: y }`, or a compound selector `{ a_b: { a: x, b: y } }`: the field = value pairs a `where` pins. */
function pinnedFields(where: TSESTree.ObjectExpression, text: (node: Node) => string): { fields: Pinned[]; compound?: string } | undefined {
  const fields: Pinned[] = [];
  let compound: string | undefined;
  for (const property of where.properties) {
    const name = property.type === AST_NODE_TYPES.Property ? getPropertyName(property) : undefined;
    if (property.type !== AST_NODE_TYPES.Property || name === undefined) return undefined;
    const inner = asObject(property.value);
    if (inner) {
      const nested = pinnedFields(inner, text);
      if (!nested || nested.compound) return undefined;
      compound = name;
      fields.push(...nested.fields);
    } else {
      fields.push({ field: name, value: normalized(text(property.value)) });
    }
  }
  return { fields, compound };
}

/** The first pinned field the create does not visibly set to the same value (spreads before it do not count). */
function unsetField(pinned: Pinned[], data: TSESTree.ObjectExpression, text: (node: Node) => string): string | undefined {
  return pinned.find(({ field, value }) => {
    const index = data.properties.findLastIndex((property) => property.type === AST_NODE_TYPES.Property && getPropertyName(property) === field);
    const property = data.properties[index] as TSESTree.Property | undefined;
    return !property || data.properties.slice(index + 1).some((item) => item.type === AST_NODE_TYPES.SpreadElement) || normalized(text(property.value)) !== value;
  })?.field;
}

function hasNestedWrites(data: Node): boolean {
  let nested = false;
  walk(data, (node) => {
    if (node.type === AST_NODE_TYPES.Property && NESTED_WRITES.includes(getPropertyName(node) ?? '') && node.parent !== data) nested = true;
  });
  return nested;
}

/** `include`, or a `select` that reads relations: Prisma does not run such an upsert as one statement. */
function readsRelations(args: TSESTree.ObjectExpression): boolean {
  if (findProperty(args, 'include')) return true;
  const select = asObject(findProperty(args, 'select')?.value);
  return select !== undefined && select.properties.some((property) => property.type !== AST_NODE_TYPES.Property || unwrapExpression(property.value).type !== AST_NODE_TYPES.Literal);
}

// ─── Transaction clients ──────────────────────────────────────────────────────────────────────────

/** How the receiver is a transaction client: the `$transaction` callback's parameter, or a parameter typed or named as one. */
function transactionClient(receiver: Node, text: (node: Node) => string): 'callback' | 'parameter' | undefined {
  const base = unwrapExpression(receiver);
  if (base.type !== AST_NODE_TYPES.Identifier) return undefined;
  for (let current: Node | undefined = base.parent; current; current = current.parent) {
    if (!FUNCTION_TYPES.has(current.type)) continue;
    const fn = current as TSESTree.FunctionLike;
    const param = fn.params.find((item) => item.type === AST_NODE_TYPES.Identifier && item.name === base.name) as TSESTree.Identifier | undefined;
    if (!param) continue;
    const call = fn.parent;
    if (call?.type === AST_NODE_TYPES.CallExpression) {
      const callee = unwrapExpression(call.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(callee) === '$transaction') return 'callback';
    }
    if ((param.typeAnnotation && /TransactionClient/.test(text(param.typeAnnotation))) || ['tx', 'trx'].includes(param.name)) return 'parameter';
    return undefined;
  }
  return undefined;
}

// ─── Layout ───────────────────────────────────────────────────────────────────────────────────────

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

function indentAt(source: string, offset: number): string {
  return /^[ \t]*/.exec(source.slice(lineStart(source, offset)))![0];
}

/** The file's indentation step: the most common increase from one line to the next (a tab if it indents with tabs). */
function indentUnit(source: string): string {
  const counts = new Map<number, number>();
  let previous = 0;
  for (const line of source.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('*')) continue;
    if (line.startsWith('\t')) return '\t';
    const width = line.length - line.trimStart().length;
    if (width > previous) counts.set(width - previous, (counts.get(width - previous) ?? 0) + 1);
    previous = width;
  }
  const [best] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return ' '.repeat(best?.[0] ?? 2);
}

/** Moves a node's text to a line indented `to`: its later lines keep their place relative to its first. */
function reindent(source: string, node: Node, to: string): string {
  const from = indentAt(source, node.range[0]);
  return source
    .slice(node.range[0], node.range[1])
    .split('\n')
    .map((line, index) => (index > 0 && line.startsWith(from) ? to + line.slice(from.length) : line))
    .join('\n');
}

// ─── The codemod ──────────────────────────────────────────────────────────────────────────────────

function transform(file: FileInfo, api: API, options: Options): string | undefined {
  const source = file.source;
  if (file.path.endsWith('.d.ts') || !/find(?:Unique|First)|upsert/.test(source)) return undefined;
  const report = createReporter(api, file.path);
  const problems = lintWithPluginRule('no-findunique-then-create', rule, source, file.path);
  if (problems === undefined) {
    report('skipped: the file does not parse');
    return undefined;
  }
  if (problems.length === 0) return undefined;
  let ast: TSESTree.Program;
  try {
    ast = parse(source, { range: true, loc: true, jsx: !/\.(?:ts|mts|cts)$/.test(file.path) }) as TSESTree.Program;
  } catch (error) {
    report(`skipped: the file does not parse (${(error as Error).message})`);
    return undefined;
  }
  const calls: ModelCall[] = [];
  walk(ast, (node) => {
    const call = getModelCall(node);
    if (call) calls.push(call);
  });
  // Parent links for the upward walks below.
  walk(ast, (node) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'parent') continue;
      for (const child of Array.isArray(value) ? value : [value]) if (child && typeof (child as Node).type === 'string') (child as { parent?: Node }).parent = node;
    }
  });
  const schemaPath = typeof options['schema-dir'] === 'string' ? resolve(options['schema-dir']) : projectRoot(file.path);
  const schema: PrismaSchema | undefined = readPrismaSchema(schemaPath);
  const q = quoteOf(ast);
  const unit = indentUnit(source);
  const text = (node: Node): string => source.slice(node.range[0], node.range[1]);
  /** A node's text for a report: its first line, shortened. */
  const describe = (node: Node): string => {
    const [first, ...rest] = text(node).split('\n');
    const shown = rest.length > 0 ? `${first.trimEnd()} …` : first;
    return shown.length > 90 ? `${shown.slice(0, 88)} …` : shown;
  };
  const edits: TextEdit[] = [];

  /** `{ where: …, select: … }` for the read after P2002: on one line when every part is, else one part per line. */
  function argumentsText(parts: [string, Node][], indent: string): string {
    if (parts.every(([, node]) => !text(node).includes('\n'))) return `{ ${parts.map(([key, node]) => `${key}: ${text(node)}`).join(', ')} }`;
    return `{\n${parts.map(([key, node]) => `${indent}${unit}${key}: ${reindent(source, node, indent + unit)},\n`).join('')}${indent}}`;
  }

  // Typed in TypeScript so the callback type-checks even where the client's types are not generated
  // yet (the create is then `any` and an untyped parameter is an implicit any under `strict`).
  const errorParameter = /\.[cm]?tsx?$/.test(file.path) ? 'error: { code?: string }' : 'error';

  /** `.catch(P2002 → read the row)` after the create: the row returned either way, no existing row changed. */
  function readBackAfter(create: ModelCall, method: string, where: Node, extras: TSESTree.Property[]): TextEdit {
    const indent = indentAt(source, create.call.range[1]);
    const inner = indent + unit;
    const args = argumentsText([['where', where], ...extras.map((item): [string, Node] => [getPropertyName(item)!, item.value])], inner);
    return {
      start: create.call.range[1],
      end: create.call.range[1],
      text: [
        `.catch(async (${errorParameter}) => {`,
        `${inner}// Another request or instance created it first (P2002): read the row it created.`,
        `${inner}if (error?.code !== ${q}P2002${q}) throw error;`,
        `${inner}return ${text(create.receiver)}.${create.model}.${method}(${args});`,
        `${indent}})`,
      ].join('\n'),
    };
  }

  for (const problem of problems) {
    const offset = indexOf(source, problem.line, problem.column);
    const call = calls.find((item) => {
      const property = (unwrapExpression(item.call.callee) as TSESTree.MemberExpression).property;
      return item.method === (problem.messageId === 'emptyUpdateUpsert' ? 'upsert' : 'create') && (property.range[0] === offset || (problem.messageId === 'emptyUpdateUpsert' && item.call.range[0] <= offset && offset <= item.call.range[1]));
    });
    const line = problem.line;
    if (!call) {
      report('not rewritten: could not find the Prisma call this finding points at; fix it by hand', line);
      continue;
    }
    const args = objectArgument(call.call);
    const client = transactionClient(call.receiver, text);
    if (client === 'callback') {
      report('not rewritten: inside an interactive $transaction a failed INSERT aborts the whole transaction on PostgreSQL (every later query fails with "current transaction is aborted"), so catching P2002 and reading the row cannot work there; retry the whole transaction when it fails with P2002, or use createMany({ data: [...], skipDuplicates: true }) and then read the row', line);
      continue;
    }
    if (client === 'parameter') {
      report(`not rewritten: \`${text(call.receiver)}\` is a transaction client, and inside a transaction a failed INSERT aborts the whole transaction on PostgreSQL (every later query fails with "current transaction is aborted"), so catching P2002 and reading the row cannot work here; let the caller retry the whole transaction when it fails with P2002, or use createMany({ data: [...], skipDuplicates: true }) and then read the row`, line);
      continue;
    }
    const extras = args ? ['select', 'include', 'omit'].map((key) => findProperty(args, key)).filter((item): item is TSESTree.Property => item !== undefined) : [];

    if (problem.messageId === 'emptyUpdateUpsert') {
      const where = args && findProperty(args, 'where');
      const create = args && findProperty(args, 'create');
      const update = args && findProperty(args, 'update');
      if (!args || !where || !create || !update || args.properties.some((property) => property.type !== AST_NODE_TYPES.Property)) {
        report('not rewritten: this upsert\'s arguments are not an inline object with `where` and `create`', line);
        continue;
      }
      // upsert({ where, update: {}, create: {…} }) → create({ data: {…} }): only the changed words move, the layout stays.
      const method = (unwrapExpression(call.call.callee) as TSESTree.MemberExpression).property;
      edits.push({ start: method.range[0], end: method.range[1], text: 'create' }, { start: create.key.range[0], end: create.key.range[1], text: 'data' });
      const properties = args.properties;
      const lastKept = Math.max(...properties.map((property, index) => (property === where || property === update ? -1 : index)));
      for (const property of [where, update]) {
        const index = properties.indexOf(property);
        if (index < lastKept) edits.push({ start: property.range[0], end: properties[index + 1].range[0], text: '' });
      }
      // Removed properties after the last one kept go in one piece, from the end of that one.
      if (lastKept < properties.length - 1) edits.push({ start: properties[lastKept].range[1], end: properties.at(-1)!.range[1], text: '' });
      edits.push(readBackAfter(call, 'findUniqueOrThrow', where.value, extras));
      continue;
    }

    const data = args && findProperty(args, 'data');
    const dataObject = asObject(data?.value);
    if (!args || !data || !dataObject) {
      report('not rewritten: this create\'s arguments are not an inline object with `data`', line);
      continue;
    }
    const statement = holdingStatement(call.call) ?? ancestorStatement(call.call);

    // The read that decided this create: the one whose result the `if` (or `??`) tests for "missing".
    const fn = enclosingFunction(call.call);
    const candidates = calls.filter((item) => READ_METHODS.has(item.method) && item.model === call.model && enclosingFunction(item.call) === fn && item.call.range[1] <= call.call.range[0]);
    const decided: { read: ModelCall; name?: string; decision: Decision }[] = [];
    let notDecided: { read: ModelCall; why: NotDecided } | undefined;
    for (const read of candidates) {
      const name = readVariable(read);
      const decision = decidedBy(call.call, statement, read, name);
      if (decision === 'present' || decision === 'unclear') notDecided ??= { read, why: decision };
      else if (decision) decided.push({ read, name, decision });
    }
    const readName = (read: ModelCall): string => `\`${text(read.receiver)}.${read.model}.${read.method}\` (line ${read.call.loc.start.line})`;
    if (decided.length === 0) {
      report(
        notDecided?.why === 'present'
          ? `not rewritten: this create does not run only when ${readName(notDecided.read)} finds nothing (it runs when that read finds a row), so it is not "create if missing": reading back after P2002 would return a row this code did not ask for; check this site by hand`
          : notDecided
            ? `not rewritten: this create does not run only when ${readName(notDecided.read)} finds nothing (the code tests more than whether that read found a row), so it is not a plain "create if missing", and reading that row back after P2002 could return the wrong row; check it by hand (if the create makes a different row than the one read, there is no race to fix)`
            : 'not rewritten: could not tell which read decides whether this create runs; check this site by hand',
        line,
      );
      continue;
    }
    if (decided.length > 1) {
      report(`not rewritten: more than one read decides whether this create runs (lines ${decided.map(({ read }) => read.call.loc.start.line).join(' and ')}), so reading one row back after P2002 cannot stand for all of them; catch P2002 on this create and handle it by hand`, line);
      continue;
    }
    const [{ read, name, decision }] = decided;
    const readArgs = objectArgument(read.call);
    const where = readArgs && findProperty(readArgs, 'where');
    const whereObject = asObject(where?.value);
    const whereFields = keysOf(where?.value);
    const pinned = whereObject && pinnedFields(whereObject, text);
    if (!where || !whereObject || !whereFields || !pinned) {
      report(`not rewritten: the \`where\` of ${readName(read)} is not an inline object of fields, so it is not known which row to read back after P2002`, line);
      continue;
    }
    if (read.method.startsWith('findFirst') && !isUniqueWhere(schema, call.model, whereFields)) {
      report(`not rewritten: \`${call.model}.${read.method}\` filters on ${whereFields.join(', ')}, which is not a unique key of the model in the Prisma schema; only a unique constraint makes "create if missing" atomic (add @unique or @@unique([...]) and a migration)`, line);
      continue;
    }
    const unset = unsetField(pinned.fields, dataObject, text);
    if (unset) {
      report(`not rewritten: this create does not visibly set \`${unset}\` to the value ${readName(read)} looks for, so it may make a different row than the one read; reading back after P2002 could return the wrong row; check this site by hand`, line);
      continue;
    }

    const found = classifyFound(decision.found, name, call.model, describe);
    if (found.kind === 'reject') {
      if (found.thrown && !rethrowBlocked(found.thrown, read, name, call.model, pinned.fields, dataObject)) {
        edits.push(rethrowOnConflict(call, found.thrown));
        continue;
      }
      report(`not rewritten: when the row already exists, this code rejects the request (line ${found.line} ${found.what}), so reading the row back after P2002 would hand this request another request's row; keep the check, and catch P2002 (error.code === ${q}P2002${q}) on this create and ${found.sameWay}`, line);
      continue;
    }
    if (found.kind === 'write') {
      if (!found.update || !found.statement) {
        report(`not rewritten: when the row already exists, this code writes to the database (line ${found.line}), and reading the row back after P2002 would skip that write; catch P2002 on this create and do there what line ${found.line} does`, line);
        continue;
      }
      const plan = upsertPlan(call, args, dataObject, read, where, whereFields, pinned, found.update, found.statement, name);
      if ('edit' in plan) {
        edits.push(plan.edit);
        continue;
      }
      report(`not rewritten: when the row already exists, this code updates it (line ${found.line}), so reading the row back after P2002 would drop this request's update; it cannot become one upsert because ${plan.reason}; catch P2002 on this create and run the same update instead`, line);
      continue;
    }
    // An answer without the row ("already registered") is what the check meant for the race's loser too:
    // reading the row back would answer as if this request had created it.
    if (found.kind === 'other' || found.kind === 'answer') {
      report(
        found.kind === 'other'
          ? `not rewritten: when the row already exists, this code does more than use it (line ${found.line}); after P2002 this request would skip that and carry on as if it had created the row; catch P2002 on this create and handle it as line ${found.line} does`
          : `not rewritten: when the row already exists, this code answers without handing out the row (line ${found.line}); after P2002 this request would instead carry on with another request's row as if it had created it; catch P2002 on this create and answer as line ${found.line} does`,
        line,
      );
      continue;
    }
    if (!holdingStatement(call.call)) {
      report('not rewritten: the result of this create is used inside a larger expression; catch P2002 on it by hand and read the row back', line);
      continue;
    }
    const effect = decision.after.find((item) => !isQuiet(item));
    if (effect) {
      report(`not rewritten: after this create, line ${effect.loc.start.line} still runs (\`${describe(effect)}\`); if another request created the row first, this one would run it too, for a row it did not create (a second e-mail, a second audit entry); catch P2002 on this create and skip those steps when it fails`, line);
      continue;
    }
    edits.push(readBackAfter(call, read.method.startsWith('findFirst') ? 'findFirstOrThrow' : 'findUniqueOrThrow', where.value, extras));
  }

  /**
   * Whether `throw X` cannot also run on P2002 at the create: X reads the row or a name bound after the
   * read, or the P2002 may be about another unique field this create sets (the schema says which).
   */
  function rethrowBlocked(thrown: TSESTree.Expression, read: ModelCall, name: string | undefined, model: string, pinned: Pinned[], data: TSESTree.ObjectExpression): boolean {
    const bound = namesBoundBetween(enclosingFunction(read.call) ?? ast, read.call.range[1], Number.MAX_SAFE_INTEGER);
    if ([...namesRead(thrown)].some((item) => item === name || bound.has(item))) return true;
    const keys = schema?.uniqueKeys.get(model);
    if (!keys || data.properties.some((property) => property.type !== AST_NODE_TYPES.Property)) return true;
    const set = new Set(data.properties.map((property) => getPropertyName(property as TSESTree.Property)));
    const readKey = new Set(pinned.map(({ field }) => field));
    return keys.some((key) => key.every((field) => set.has(field)) && !(key.length === readKey.size && key.every((field) => readKey.has(field))));
  }

  /** create(...).catch(P2002 → the same throw the check makes): the race loser is refused as the check refuses it. */
  function rethrowOnConflict(create: ModelCall, thrown: TSESTree.Expression): TextEdit {
    const indent = indentAt(source, create.call.range[1]);
    const inner = indent + unit;
    return {
      start: create.call.range[1],
      end: create.call.range[1],
      text: [
        `.catch((${errorParameter}) => {`,
        `${inner}// Another request or instance created it first (P2002): reject this one as an existing row is rejected.`,
        `${inner}if (error?.code === ${q}P2002${q}) throw ${reindent(source, thrown, inner)};`,
        `${inner}throw error;`,
        `${indent}})`,
      ].join('\n'),
    };
  }

  /**
   * if (found) update(…) else create(…) on one unique field → a native upsert with that update, where
   * Prisma runs it as one INSERT … ON CONFLICT (FIELD-NOTES: one unique field with the same value in
   * `create`, a non-empty update, no nested writes or reads, PostgreSQL/CockroachDB/SQLite, relations
   * not emulated). Both branches one statement: the `if` becomes the upsert; else only the create does,
   * so the common path (the row exists) runs as before.
   */
  function upsertPlan(
    create: ModelCall, createArgs: TSESTree.ObjectExpression, data: TSESTree.ObjectExpression, read: ModelCall, where: TSESTree.Property,
    whereFields: string[], pinned: { fields: Pinned[]; compound?: string }, update: ModelCall, updateStatement: Statement, name: string | undefined,
  ): { edit: TextEdit } | { reason: string } {
    const updateArgs = objectArgument(update.call);
    const updateWhere = updateArgs && findProperty(updateArgs, 'where');
    const updateData = updateArgs && findProperty(updateArgs, 'data');
    const updateObject = asObject(updateData?.value);
    if (!schema) return { reason: 'the Prisma schema was not found, so it is not known whether the database runs an upsert as one INSERT … ON CONFLICT' };
    if (!supportsNativeUpsert(schema)) {
      return { reason: schema.relationMode === 'prisma' ? 'the schema sets relationMode = "prisma", and Prisma then runs an upsert as a read and a write' : `the database is ${schema.provider ?? 'not named in the schema'}, and Prisma runs an upsert as one INSERT … ON CONFLICT only on PostgreSQL, CockroachDB and SQLite` };
    }
    if (pinned.compound) return { reason: `it finds the row by a compound key (${pinned.compound}), and Prisma runs an upsert as one INSERT … ON CONFLICT only on a single unique field` };
    if (whereFields.length !== 1 || !isUniqueWhere(schema, create.model, whereFields)) return { reason: `it finds the row by ${whereFields.join(', ')}, which is not one unique field of ${create.model} in the Prisma schema` };
    if (!updateWhere || normalized(text(updateWhere.value)) !== normalized(text(where.value))) return { reason: `the update finds the row by ${updateWhere ? `\`${describe(updateWhere.value)}\`` : 'something else'}, not by the read's \`where\`` };
    if (!updateObject || updateObject.properties.length === 0) return { reason: 'the update is empty or not an inline object' };
    if (name !== undefined && references(updateObject, name)) return { reason: `the update uses the row it read (\`${name}\`)` };
    if (hasNestedWrites(data) || hasNestedWrites(updateObject)) return { reason: 'it writes related rows (nested writes)' };
    if (readsRelations(createArgs) || (updateArgs && readsRelations(updateArgs))) return { reason: 'it reads related rows (`include` or a nested `select`)' };
    const bound = namesBoundBetween(enclosingFunction(read.call) ?? ast, read.call.range[1], create.call.range[0]);
    if ([...namesRead(updateObject)].some((item) => bound.has(item))) return { reason: 'the update uses values computed only when the row exists' };

    const createStatement = holdingStatement(create.call);
    const ifStatement = ancestorOfType(create.call, AST_NODE_TYPES.IfStatement);
    const single = (branch: Statement | null | undefined): Statement | undefined => (branch ? (statementsOf(branch).length === 1 ? statementsOf(branch)[0] : undefined) : undefined);
    if (
      ifStatement && ifStatement.alternate && single(ifStatement.alternate) === createStatement && single(ifStatement.consequent) === updateStatement &&
      createStatement?.type === AST_NODE_TYPES.ExpressionStatement && updateStatement.type === AST_NODE_TYPES.ExpressionStatement
    ) {
      const indent = indentAt(source, ifStatement.range[0]);
      return {
        edit: {
          start: ifStatement.range[0],
          end: ifStatement.range[1],
          text: `await ${text(create.receiver)}.${create.model}.upsert({\n${indent}${unit}where: ${reindent(source, where.value, indent + unit)},\n${indent}${unit}update: ${reindent(source, updateObject, indent + unit)},\n${indent}${unit}create: ${reindent(source, data, indent + unit)},\n${indent}});`,
        },
      };
    }
    const indent = indentAt(source, create.call.range[0]);
    const inner = indent + unit;
    const rest = createArgs.properties.filter((property) => !(property.type === AST_NODE_TYPES.Property && getPropertyName(property) === 'data'));
    return {
      edit: {
        start: create.call.range[0],
        end: create.call.range[1],
        text: [
          `${text(create.receiver)}.${create.model}.upsert({`,
          `${inner}where: ${reindent(source, where.value, inner)},`,
          `${inner}update: ${reindent(source, updateObject, inner)},`,
          `${inner}create: ${reindent(source, data, inner)},`,
          ...rest.map((property) => `${inner}${reindent(source, property, inner)},`),
          `${indent}})`,
        ].join('\n'),
      },
    };
  }

  if (edits.length === 0) return undefined;
  try {
    return applyEdits(source, edits);
  } catch (error) {
    if (!(error instanceof OverlappingEditsError)) throw error;
    report(`not rewritten: ${error.message}; left as it was`);
    return undefined;
  }
}

/** The quote of the file's first string literal (comments do not count): new strings follow it. */
function quoteOf(ast: TSESTree.Program): string {
  let quote: string | undefined;
  walk(ast, (node) => {
    if (quote === undefined && node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') quote = node.raw.startsWith('"') ? '"' : "'";
  });
  return quote ?? "'";
}

function ancestorStatement(node: Node): Statement {
  let current: Node = node;
  while (current.parent && !/Statement$|Declaration$/.test(current.type)) current = current.parent;
  return current as Statement;
}

function ancestorOfType<T extends AST_NODE_TYPES>(node: Node, type: T): Extract<Node, { type: T }> | undefined {
  for (let current = node.parent; current && !FUNCTION_TYPES.has(current.type); current = current.parent) if (current.type === type) return current as Extract<Node, { type: T }>;
  return undefined;
}

function indexOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) offset = source.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

export default leaveUndecodableFilesAlone(transform);
