import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { findProperty, getPropertyName, unwrapExpression, walk } from '../core/ast';
import { nearestPackageDirectory } from '../core/project-root';
import { getModelCall, type ModelCall } from './prisma-model-call';
import { prismaSchemaFiles } from './prisma-schema';

// What the rule and its codemod both need to know about a read-then-create: which read decides the
// create, what runs when that read finds the row, and what the create and the read pin. One analysis:
// the rule reports from it, the codemod rewrites from it.

export type Node = TSESTree.Node;
export type Statement = TSESTree.Statement;

export const FUNCTION_TYPES = new Set<string>([AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.FunctionExpression, AST_NODE_TYPES.ArrowFunctionExpression]);
const LOG_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'verbose', 'fatal']);
/** Express, Fastify, Koa, Hapi and Hono ways of answering a request. */
const RESPONSE_METHODS = new Set(['status', 'code', 'json', 'send', 'sendStatus', 'end', 'header', 'set', 'type', 'response', 'redirect', 'render']);
/** Express's `res`, Fastify's `reply`, Koa's `ctx`, Hono's `c`, Hapi's `h`: the objects a request is answered through. */
const RESPONSE_OBJECTS = /^(?:res|resp|response|reply|rep|ctx|context|c|h)$/i;
const WRITE_METHODS = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany']);
const NESTED_WRITES = ['create', 'connect', 'connectOrCreate', 'createMany', 'upsert', 'set', 'update', 'updateMany', 'delete', 'deleteMany', 'disconnect'];

// ─── Small AST helpers ────────────────────────────────────────────────────────────────────────────

export function enclosingFunction(node: Node): Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (FUNCTION_TYPES.has(current.type)) return current;
  return undefined;
}

export function objectArgument(call: TSESTree.CallExpression): TSESTree.ObjectExpression | undefined {
  const argument = call.arguments[0] && unwrapExpression(call.arguments[0]);
  return argument?.type === AST_NODE_TYPES.ObjectExpression ? argument : undefined;
}

export function asObject(node: Node | undefined): TSESTree.ObjectExpression | undefined {
  const value = node && unwrapExpression(node);
  return value?.type === AST_NODE_TYPES.ObjectExpression ? value : undefined;
}

export function keysOf(object: Node | undefined): string[] | undefined {
  const value = asObject(object);
  if (!value) return undefined;
  const names = value.properties.map((property) => (property.type === AST_NODE_TYPES.Property ? getPropertyName(property) : undefined));
  return names.every((name): name is string => name !== undefined) ? names : undefined;
}

function isName(node: Node | null | undefined, name: string): boolean {
  const value = node && unwrapExpression(node);
  return value?.type === AST_NODE_TYPES.Identifier && value.name === name;
}

export function references(node: Node | null | undefined, name: string): boolean {
  if (!node) return false;
  let found = false;
  walk(node, (current) => {
    if (current.type === AST_NODE_TYPES.Identifier && current.name === name) found = true;
  });
  return found;
}

/** The names an expression reads (not property keys or `.member` names). */
export function namesRead(node: Node): Set<string> {
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
export function namesBoundBetween(scope: Node, start: number, end: number): Set<string> {
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

export function statementsOf(statement: Statement): Statement[] {
  return statement.type === AST_NODE_TYPES.BlockStatement ? statement.body : [statement];
}

export function exits(statement: Statement | undefined): boolean {
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
export function holdingStatement(value: Node): Statement | undefined {
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
export function isInert(node: Node): boolean {
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
  // `mailer.send(…)`, `socket.send(…)`, `queue.send(…)` are effects, not answers: only a response object answers.
  const name = current.type === AST_NODE_TYPES.Identifier ? current.name : current.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(current) : undefined;
  return name !== undefined && RESPONSE_OBJECTS.test(name) ? response : undefined;
}

/** No effect but logging, answering, or handing back a value: what can run twice, or for a row this request did not create. */
export function isQuiet(statement: Statement): boolean {
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

export interface Rejection {
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
export type Found = { row: true } | { expression: Node } | { statements: Statement[] };

export interface Decision {
  found: Found;
  /** The statements after the create that run only on the missing path. */
  after: Statement[];
}

/** Why a read is not the one that decides the create. */
export type NotDecided = 'present' | 'unclear';

/** The operands of `a || b || c` (the test itself when it is not an `||`). */
function disjuncts(test: Node): Node[] {
  const node = unwrapExpression(test);
  return node.type === AST_NODE_TYPES.LogicalExpression && node.operator === '||' ? [...disjuncts(node.left), ...disjuncts(node.right)] : [node];
}

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
export function decidedBy(create: TSESTree.CallExpression, statement: Statement, read: ModelCall, name: string | undefined): Decision | NotDecided | undefined {
  let child: Node = create;
  for (let current: Node | undefined = create.parent; current && (!FUNCTION_TYPES.has(current.type) || isTransactionCallback(current)); child = current, current = current.parent) {
    if (FUNCTION_TYPES.has(current.type)) continue;
    if (current.type === AST_NODE_TYPES.CatchClause && read.method.endsWith('OrThrow') && current.parent?.type === AST_NODE_TYPES.TryStatement) {
      const block = current.parent.block;
      const readStatement = block.body.find((item) => item.range[0] <= read.call.range[0] && read.call.range[1] <= item.range[1]);
      if (!readStatement) continue;
      return { found: { statements: followingSiblings(readStatement) }, after: followingUpTo(statement, current.body) };
    }
    // A findUniqueOrThrow's result is never null: only its catch runs for a missing row.
    if (name === undefined || read.method.endsWith('OrThrow')) continue;
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
        // if (!template || template.tenantId !== tenantId) return 404; … create: runs only when the row was found.
        if (!earlier.alternate && exits(earlier.consequent) && disjuncts(earlier.test).some((item) => polarityOf(item, name) === 'missing')) return 'present';
        const polarity = polarityOf(earlier.test, name);
        if (!polarity || earlier.alternate || !exits(earlier.consequent)) return 'unclear';
        if (polarity === 'missing') return 'present';
        return { found: { statements: statementsOf(earlier.consequent) }, after: followingUpTo(statement, current) };
      }
    }
  }
  return undefined;
}

export function readVariable(read: ModelCall): string | undefined {
  let holder: Node = read.call;
  while (holder.parent?.type === AST_NODE_TYPES.AwaitExpression || holder.parent?.type === AST_NODE_TYPES.TSAsExpression) holder = holder.parent;
  const parent = holder.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left.type === AST_NODE_TYPES.Identifier) return parent.left.name;
  return undefined;
}

export type FoundKind =
  /** Hands the existing row on, or nothing: reading it back after P2002 gives the caller the same. */
  | { kind: 'row' }
  /** Answers without the row (`return { message: 'already registered' }`), with no other effect. */
  | { kind: 'answer'; line: number }
  | ({ kind: 'reject' } & Rejection)
  /** Writes; `update` when it is one `update` of the same model next to quiet statements only. */
  | { kind: 'write'; line: number; update?: ModelCall; statement?: Statement }
  | { kind: 'other'; line: number };

export function classifyFound(found: Found, name: string | undefined, model: string, describe: (node: Node) => string): FoundKind {
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

export interface Pinned {
  field: string;
  value: string;
}

export const normalized = (text: string): string => text.replace(/\s+/g, '');

/** `{ email }`, `{ a: x, b: y }`, or a compound selector `{ a_b: { a: x, b: y } }`: the field = value pairs a `where` pins. */
export function pinnedFields(where: TSESTree.ObjectExpression, text: (node: Node) => string): { fields: Pinned[]; compound?: string } | undefined {
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
export function unsetField(pinned: Pinned[], data: TSESTree.ObjectExpression, text: (node: Node) => string): string | undefined {
  return pinned.find(({ field, value }) => {
    const index = data.properties.findLastIndex((property) => property.type === AST_NODE_TYPES.Property && getPropertyName(property) === field);
    const property = data.properties[index] as TSESTree.Property | undefined;
    return !property || data.properties.slice(index + 1).some((item) => item.type === AST_NODE_TYPES.SpreadElement) || normalized(text(property.value)) !== value;
  })?.field;
}

export function hasNestedWrites(data: Node): boolean {
  let nested = false;
  walk(data, (node) => {
    if (node.type === AST_NODE_TYPES.Property && NESTED_WRITES.includes(getPropertyName(node) ?? '') && node.parent !== data) nested = true;
  });
  return nested;
}

/** `include`, or a `select` that reads relations: Prisma does not run such an upsert as one statement. */
export function readsRelations(args: TSESTree.ObjectExpression): boolean {
  if (findProperty(args, 'include')) return true;
  const select = asObject(findProperty(args, 'select')?.value);
  return select !== undefined && select.properties.some((property) => property.type !== AST_NODE_TYPES.Property || unwrapExpression(property.value).type !== AST_NODE_TYPES.Literal);
}

// ─── Transaction clients ──────────────────────────────────────────────────────────────────────────

/** How the receiver is a transaction client: the `$transaction` callback's parameter, or a parameter typed or named as one. */
export function transactionClient(receiver: Node, text: (node: Node) => string): 'callback' | 'parameter' | undefined {
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

// ─── Scopes, aliases and the shapes that cannot race ──────────────────────────────────────────────

/** `$transaction(async (tx) => { … })`'s callback: a read before it decides a create inside it. */
function isTransactionCallback(fn: Node): boolean {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== fn) return false;
  const callee = unwrapExpression(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(callee) === '$transaction';
}

/** The functions whose reads can decide a create here: its own, and the ones around each `$transaction` callback it is in. */
export function decidingScopes(node: Node): Node[] {
  const scopes: Node[] = [];
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    scopes.push(fn);
    if (!isTransactionCallback(fn)) return scopes;
  }
  // Module level: the Program.
  let root: Node = node;
  while (root.parent) root = root.parent;
  scopes.push(root);
  return scopes;
}

/** Where a call's key values can come from: its function, or, through `$transaction` callbacks, the function around them. */
export function keyScope(node: Node): Node {
  const scopes = decidingScopes(node);
  return scopes.findLast((scope) => FUNCTION_TYPES.has(scope.type)) ?? scopes[0];
}

/** `let user = existing;` (or `user = existing`) after the read: the names that hold the read's result. */
export function namesHolding(read: ModelCall, name: string): string[] {
  const names = [name];
  const scope = enclosingFunction(read.call) ?? decidingScopes(read.call).at(-1)!;
  walk(scope, (node) => {
    if (node.range[0] < read.call.range[1]) return;
    if (node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.Identifier && node.init && isName(node.init, name)) names.push(node.id.name);
    if (node.type === AST_NODE_TYPES.AssignmentExpression && node.operator === '=' && node.left.type === AST_NODE_TYPES.Identifier && isName(node.right, name)) names.push(node.left.name);
  });
  return [...new Set(names)];
}

/** The field names a `where` pins, a compound selector (`a_b: { a, b }`) spread out; undefined when not an inline object of fields. */
export function whereFieldNames(where: Node | undefined): string[] | undefined {
  const object = asObject(where);
  if (!object) return undefined;
  const names: string[] = [];
  for (const property of object.properties) {
    const name = property.type === AST_NODE_TYPES.Property ? getPropertyName(property) : undefined;
    if (property.type !== AST_NODE_TYPES.Property || name === undefined || ['AND', 'OR', 'NOT'].includes(name)) return undefined;
    const inner = asObject(property.value);
    if (inner && inner.properties.every((item) => item.type === AST_NODE_TYPES.Property && asObject(item.value) === undefined)) {
      const nested = keysOf(inner);
      // `{ email: { equals: x } }` is a filter on one field; `{ a_b: { a, b } }` a compound key.
      if (!nested) return undefined;
      if (nested.some((key) => ['equals', 'in', 'not', 'contains', 'startsWith', 'endsWith', 'mode', 'lt', 'lte', 'gt', 'gte'].includes(key))) names.push(name);
      else names.push(...nested);
    } else if (inner) {
      return undefined;
    } else {
      names.push(name);
    }
  }
  return names;
}

/**
 * The fields a `where` compares with a fixed value (`status: 'PENDING'`, `status: Status.PENDING`):
 * a filter on the rows a unique index would have to be limited to.
 */
export function fixedValueFields(where: Node | undefined): string[] {
  const object = asObject(where);
  if (!object) return [];
  return object.properties.flatMap((property) => {
    if (property.type !== AST_NODE_TYPES.Property) return [];
    const value = unwrapExpression(property.value);
    const operators = keysOf(value);
    const fixed =
      // status: { in: [DRAFT, PENDING] }, status: { not: 'DONE' }
      (operators !== undefined && operators.length > 0 && operators.every((key) => ['equals', 'in', 'not', 'notIn'].includes(key))) ||
      (value.type === AST_NODE_TYPES.Literal && value.value !== null) ||
      (value.type === AST_NODE_TYPES.MemberExpression && !value.computed && value.object.type === AST_NODE_TYPES.Identifier && /^[A-Z]/.test(value.object.name) && value.property.type === AST_NODE_TYPES.Identifier && /^[A-Z_\d]+$/.test(value.property.name));
    const name = getPropertyName(property);
    return fixed && name ? [name] : [];
  });
}

/**
 * Whether the create visibly makes another row than the one read: its `data` is an inline object with
 * no spread, and leaves out a field the read pins (a foreign key counts as set by its relation's
 * `connect`). Then there is no race.
 */
export function createsOtherRow(whereFields: readonly string[], data: Node | undefined): boolean {
  const object = asObject(data);
  if (!object || object.properties.some((property) => property.type !== AST_NODE_TYPES.Property)) return false;
  const set = new Set(object.properties.map((property) => getPropertyName(property as TSESTree.Property)));
  // `user: { connect: { … } }` sets `userId` (or `user_id`): the relation's foreign key.
  const setByRelation = (field: string): boolean => {
    const relation = /^(\w+?)_?(?:Id|ID|id)$/.exec(field)?.[1];
    const property = relation ? findProperty(object, relation) : undefined;
    return property !== undefined && asObject(property.value) !== undefined;
  };
  return whereFields.some((field) => !set.has(field) && !setByRelation(field));
}

const ID_GENERATORS = /^(?:randomUUID|uuid|uuidv[1-7]|v[1-7]|cuid2?|createId|nanoid|ulid|generateId|ObjectId)$/;

function calleeName(call: Node): string | undefined {
  const node = unwrapExpression(call);
  const target = node.type === AST_NODE_TYPES.AwaitExpression ? unwrapExpression(node.argument) : node;
  if (target.type !== AST_NODE_TYPES.CallExpression && target.type !== AST_NODE_TYPES.NewExpression) return undefined;
  const callee = unwrapExpression(target.callee);
  return callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(callee) : undefined;
}

/**
 * Whether each value of the `where` is a key this call made itself: an id generated here
 * (`randomUUID()`, `cuid()`, `nanoid()`) or taken from a row this function created. No other caller
 * can know it before this one commits, so nothing can race on it.
 */
export function isKeyMadeHere(where: Node | undefined, scope: Node): boolean {
  const object = asObject(where);
  if (!object || object.properties.length === 0) return false;
  const made = new Set<string>();
  const created = new Set<string>();
  walk(scope, (node) => {
    if (node.type !== AST_NODE_TYPES.VariableDeclarator || node.id.type !== AST_NODE_TYPES.Identifier || !node.init) return;
    if (ID_GENERATORS.test(calleeName(node.init) ?? '')) made.add(node.id.name);
    let value = unwrapExpression(node.init);
    if (value.type === AST_NODE_TYPES.AwaitExpression) value = unwrapExpression(value.argument);
    const call = getModelCall(value);
    if (call && (call.method === 'create' || call.method === 'createManyAndReturn')) created.add(node.id.name);
  });
  const fresh = (value: Node): boolean => {
    const node = unwrapExpression(value);
    if (node.type === AST_NODE_TYPES.Identifier) return made.has(node.name);
    if (node.type === AST_NODE_TYPES.MemberExpression) {
      const base = unwrapExpression(node.object);
      return base.type === AST_NODE_TYPES.Identifier && created.has(base.name);
    }
    // A compound selector `a_b: { a: made, b: 'default' }` is one unique key: one fresh part makes the whole key fresh.
    const inner = asObject(node);
    return inner !== undefined && inner.properties.some((property) => property.type === AST_NODE_TYPES.Property && fresh(property.value));
  };
  return object.properties.every((property) => property.type === AST_NODE_TYPES.Property && fresh(property.value));
}

/**
 * Inside `await Promise.allSettled([...])` whose result nobody reads: a rejection (P2002 included) is
 * deliberately discarded, and the row exists either way.
 */
export function isInDiscardedAllSettled(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type !== AST_NODE_TYPES.CallExpression) continue;
    const callee = unwrapExpression(current.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || getPropertyName(callee) !== 'allSettled' || !isName(callee.object, 'Promise')) continue;
    let holder: Node = current;
    while (holder.parent?.type === AST_NODE_TYPES.AwaitExpression || (holder.parent?.type === AST_NODE_TYPES.UnaryExpression && holder.parent.operator === 'void')) holder = holder.parent;
    return holder.parent?.type === AST_NODE_TYPES.ExpressionStatement;
  }
  return false;
}

/**
 * Between the check and the create, a call whose failure is turned into the very refusal the check makes
 * (`await createIdentityInSes(domain).catch((error) => { if (error.name === 'AlreadyExistsException')
 * throw new AppError(ALREADY_EXISTS) })`, or the same in a try/catch): that call refuses a duplicate itself,
 * atomically, elsewhere, so the race loser is refused there and never reaches the create. Two throws
 * are the same refusal when their constructor and first argument read the same.
 */
export function isRefusedOnTheWay(thrown: Node, from: number, create: Node, scope: Node, text: (node: Node) => string): boolean {
  if (thrown.type !== AST_NODE_TYPES.NewExpression) return false;
  const signature = (node: Node): string | undefined =>
    node.type === AST_NODE_TYPES.NewExpression ? `${text(node.callee)}(${node.arguments[0] ? text(node.arguments[0]) : ''}` : undefined;
  const wanted = signature(thrown);
  const throwsTheSame = (handler: Node): boolean => {
    let same = false;
    walk(handler, (node) => {
      if (node.type === AST_NODE_TYPES.ThrowStatement && signature(node.argument) === wanted) same = true;
    });
    return same;
  };
  let refused = false;
  walk(scope, (node) => {
    if (refused || node.range[0] < from || node.range[1] > create.range[0]) return;
    if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(node.callee) === 'catch' && node.arguments[0]) {
      refused = throwsTheSame(node.arguments[0]);
    } else if (node.type === AST_NODE_TYPES.TryStatement && node.handler) {
      refused = throwsTheSame(node.handler);
    }
  });
  return refused;
}

/**
 * A row claimed atomically before the create: `update({ where: { id, status: 'PENDING' } })` (P2025 for
 * every caller but one) or `updateMany` with such a filter whose `count` is checked. Only the caller
 * that won the claim reaches the create.
 */
export function isClaimedBefore(create: Node, scope: Node): boolean {
  let claimed = false;
  walk(scope, (node) => {
    if (claimed || node.range[1] > create.range[0]) return;
    const call = getModelCall(node);
    if (!call || (call.method !== 'update' && call.method !== 'updateMany')) return;
    const args = objectArgument(call.call);
    const where = args && findProperty(args, 'where');
    if (!where || fixedValueFields(where.value).length === 0) return;
    if (call.method === 'update') {
      claimed = true;
      return;
    }
    let holder: Node = call.call;
    while (holder.parent?.type === AST_NODE_TYPES.AwaitExpression || holder.parent?.type === AST_NODE_TYPES.TSAsExpression) holder = holder.parent;
    const declarator = holder.parent;
    if (declarator?.type === AST_NODE_TYPES.VariableDeclarator) {
      const id = declarator.id;
      if (id.type === AST_NODE_TYPES.ObjectPattern) claimed = id.properties.some((property) => property.type === AST_NODE_TYPES.Property && getPropertyName(property) === 'count');
      else if (id.type === AST_NODE_TYPES.Identifier) {
        const name = id.name;
        walk(scope, (use) => {
          if (use.type === AST_NODE_TYPES.MemberExpression && isName(use.object, name) && getPropertyName(use) === 'count' && use.range[0] < create.range[0]) claimed = true;
        });
      }
    }
  });
  return claimed;
}

/** Nested `upsert: { create, update: {} }` (or a list of them) inside a write's arguments: the empty `update` properties. */
export function emptyNestedUpserts(args: Node): TSESTree.Property[] {
  const found: TSESTree.Property[] = [];
  walk(args, (node) => {
    if (node.type !== AST_NODE_TYPES.Property || getPropertyName(node) !== 'upsert') return;
    const value = unwrapExpression(node.value);
    const items = value.type === AST_NODE_TYPES.ArrayExpression ? value.elements : [value];
    for (const item of items) {
      const object = item && item.type !== AST_NODE_TYPES.SpreadElement ? asObject(item) : undefined;
      const update = object && findProperty(object, 'update');
      const updateValue = update && asObject(update.value);
      if (update && updateValue && updateValue.properties.length === 0 && findProperty(object, 'create')) found.push(update);
    }
  });
  return found;
}

// ─── Where the schema is, in a monorepo ───────────────────────────────────────────────────────────

interface PackageJson {
  name?: unknown;
  workspaces?: unknown;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  peerDependencies?: Record<string, unknown>;
}

function readPackageJson(directory: string): PackageJson | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
    return value && typeof value === 'object' ? (value as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

/** The workspace globs of a root: pnpm-workspace.yaml's `packages`, or package.json's `workspaces`; undefined when it is not a workspace root. */
function workspaceGlobs(directory: string): string[] | undefined {
  try {
    const yaml = readFileSync(join(directory, 'pnpm-workspace.yaml'), 'utf8');
    const block = /^packages\s*:\s*\n((?:[ \t]*(?:-.*|#.*)?\n?)*)/m.exec(yaml)?.[1] ?? '';
    return [...block.matchAll(/^[ \t]*-[ \t]*['"]?([^'"#\n]+?)['"]?[ \t]*(?:#.*)?$/gm)].map((match) => match[1]);
  } catch {
    // no pnpm workspace: package.json's workspaces
  }
  const workspaces = readPackageJson(directory)?.workspaces;
  const list = Array.isArray(workspaces) ? workspaces : workspaces && typeof workspaces === 'object' ? (workspaces as { packages?: unknown }).packages : undefined;
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : undefined;
}

/** The package directories a workspace glob names: `packages/*` (and `packages/**`) one level down, or a directory as written. */
function expandGlob(root: string, glob: string): string[] {
  const clean = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean.startsWith('!')) return [];
  const star = /^([^*]*?)\/?\*\*?$/.exec(clean);
  if (!star) return clean.includes('*') ? [] : [join(root, clean)];
  const base = join(root, star[1]);
  try {
    return readdirSync(base, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'node_modules').map((entry) => join(base, entry.name));
  } catch {
    return [];
  }
}

const workspaceSchemaCache = new Map<string, string | undefined>();

/**
 * In a monorepo the schema often lives in its own package (`packages/database`, `@dub/prisma`) while the
 * code that queries it is in an app whose package.json has no schema. Then the schema is the one of the
 * workspace package the file's package depends on (`"@acme/database": "workspace:*"`), when exactly one
 * such package has a schema; undefined when the file's own package has one (Prisma's default lookup finds
 * it), when there is no workspace, or when it is not clear which schema is meant. Returned as the schema
 * file or its folder, for `prismaSchemaFor(file, path)`. Read once per package directory.
 */
export function workspaceSchemaPath(file: string): string | undefined {
  const packageDir = nearestPackageDirectory(file);
  if (!packageDir) return undefined;
  if (workspaceSchemaCache.has(packageDir)) return workspaceSchemaCache.get(packageDir);
  let found: string | undefined;
  if (prismaSchemaFiles(packageDir).length === 0) {
    // The workspace root: the nearest directory above with workspace globs.
    let root: string | undefined;
    for (let directory = dirname(packageDir); ; directory = dirname(directory)) {
      if ((existsSync(join(directory, 'pnpm-workspace.yaml')) || existsSync(join(directory, 'package.json'))) && workspaceGlobs(directory)) {
        root = directory;
        break;
      }
      if (dirname(directory) === directory) break;
    }
    if (root) {
      const packages = new Map<string, string>();
      for (const glob of workspaceGlobs(root) ?? []) {
        for (const directory of expandGlob(root, glob)) {
          const name = readPackageJson(directory)?.name;
          if (typeof name === 'string' && !packages.has(name)) packages.set(name, directory);
        }
      }
      const own = readPackageJson(packageDir);
      const dependencies = new Set(Object.keys({ ...own?.peerDependencies, ...own?.devDependencies, ...own?.dependencies }));
      const schemas = new Set<string>();
      for (const name of dependencies) {
        const directory = packages.get(name);
        const files = directory ? prismaSchemaFiles(directory) : [];
        if (files.length > 0) schemas.add(files.length === 1 ? files[0] : dirname(files[0]));
      }
      if (schemas.size === 1) [found] = schemas;
    }
  }
  workspaceSchemaCache.set(packageDir, found);
  return found;
}
