import { resolve } from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { parse } from '@typescript-eslint/typescript-estree';
import { findProperty, getPropertyName, unwrapExpression, walk } from '../src/utils/ast';
import { READ_METHODS, getModelCall, type ModelCall } from '../src/utils/prisma-model-call';
import rule from '../src/rules/no-findunique-then-create';
import { isUniqueWhere, readPrismaSchema, supportsNativeUpsert, type PrismaSchema } from './lib/prisma-schema';
import { projectRoot } from './lib/prisma-singleton';
import { applyEdits, type TextEdit } from './lib/text-edits';
import { createReporter } from './lib/report';
import { leaveUndecodableFilesAlone } from './lib/transform';
import { lintWithPluginRule } from './lib/apply-rule-fixes';

const FUNCTION_TYPES = new Set<string>([AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.FunctionExpression, AST_NODE_TYPES.ArrowFunctionExpression]);

function enclosingFunction(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (FUNCTION_TYPES.has(current.type)) return current;
  return undefined;
}

function objectArgument(call: TSESTree.CallExpression): TSESTree.ObjectExpression | undefined {
  const argument = call.arguments[0] && unwrapExpression(call.arguments[0]);
  return argument?.type === AST_NODE_TYPES.ObjectExpression ? argument : undefined;
}

function keysOf(object: TSESTree.Node | undefined): string[] | undefined {
  const value = object && unwrapExpression(object);
  if (value?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  const names = value.properties.map((property) => (property.type === AST_NODE_TYPES.Property ? getPropertyName(property) : undefined));
  return names.every((name): name is string => name !== undefined) ? names : undefined;
}

/** Nested writes (`create`, `connect`… inside data) rule out both native upserts and createMany. */
function hasNestedWrites(data: TSESTree.Node): boolean {
  let nested = false;
  walk(data, (node) => {
    if (node.type === AST_NODE_TYPES.Property && ['create', 'connect', 'connectOrCreate', 'createMany', 'upsert', 'set'].includes(getPropertyName(node) ?? '') && node.parent !== data) nested = true;
  });
  return nested;
}

/** A transaction client: a parameter of the callback given to `$transaction`. */
function isTransactionClient(receiver: TSESTree.Node): boolean {
  const base = unwrapExpression(receiver);
  if (base.type !== AST_NODE_TYPES.Identifier) return false;
  for (let current: TSESTree.Node | undefined = base.parent; current; current = current.parent) {
    if (FUNCTION_TYPES.has(current.type)) {
      const fn = current as TSESTree.FunctionLike;
      const declares = fn.params.some((param) => param.type === AST_NODE_TYPES.Identifier && param.name === base.name);
      const call = fn.parent;
      if (declares && call?.type === AST_NODE_TYPES.CallExpression && getPropertyName(unwrapExpression(call.callee) as TSESTree.MemberExpression) === '$transaction') return true;
    }
  }
  return false;
}

function indentAt(source: string, offset: number): string {
  return /^[ \t]*/.exec(source.slice(source.lastIndexOf('\n', offset - 1) + 1))![0];
}

/** `create(args).catch(P2002 → read)`: one statement, no existing row changed, the row returned either way. */
function createOrRead(receiver: string, model: string, createArgs: string, readArgs: string, indent: string, q: string): string {
  return [
    `${receiver}.${model}.create(${createArgs}).catch(async (error) => {`,
    `${indent}  // Another request or instance created it first (P2002): read the row it created.`,
    `${indent}  if (error?.code !== ${q}P2002${q}) throw error;`,
    `${indent}  return ${receiver}.${model}.findUniqueOrThrow(${readArgs});`,
    `${indent}})`,
  ].join('\n');
}

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
      for (const child of Array.isArray(value) ? value : [value]) if (child && typeof (child as TSESTree.Node).type === 'string') (child as { parent?: TSESTree.Node }).parent = node;
    }
  });
  const schemaPath = typeof options['schema-dir'] === 'string' ? resolve(options['schema-dir']) : projectRoot(file.path);
  const schema: PrismaSchema | undefined = readPrismaSchema(schemaPath);
  const q = /['"]/.exec(source.slice(source.search(/['"]/)))?.[0] === '"' ? '"' : "'";
  const text = (node: TSESTree.Node): string => source.slice(node.range[0], node.range[1]);
  const edits: TextEdit[] = [];

  for (const problem of problems) {
    const offset = indexOf(source, problem.line, problem.column);
    const call = calls.find((item) => {
      const property = (unwrapExpression(item.call.callee) as TSESTree.MemberExpression).property;
      return item.method === (problem.messageId === 'emptyUpdateUpsert' ? 'upsert' : 'create') && (property.range[0] === offset || (problem.messageId === 'emptyUpdateUpsert' && item.call.range[0] <= offset && offset <= item.call.range[1]));
    });
    if (!call) continue;
    const receiver = text(call.receiver);
    const args = objectArgument(call.call);
    const indent = indentAt(source, call.call.range[0]);
    if (isTransactionClient(call.receiver)) {
      report(`not rewritten: inside an interactive $transaction a failed INSERT aborts the transaction on PostgreSQL, so "create, catch P2002, read" cannot run there; use createMany({ data: [...], skipDuplicates: true }) then findUniqueOrThrow, or retry the whole transaction`, problem.line);
      continue;
    }
    const extras = args ? ['select', 'include', 'omit'].map((key) => findProperty(args, key)).filter((item): item is TSESTree.Property => item !== undefined) : [];
    const extraText = extras.map((item) => `, ${text(item)}`).join('');

    if (problem.messageId === 'emptyUpdateUpsert') {
      const where = args && findProperty(args, 'where');
      const create = args && findProperty(args, 'create');
      if (!where || !create) {
        report('not rewritten: this upsert\'s arguments are not an inline object with `where` and `create`', problem.line);
        continue;
      }
      edits.push({
        start: call.call.range[0],
        end: call.call.range[1],
        text: createOrRead(receiver, call.model, `{ data: ${text(create.value)}${extraText} }`, `{ where: ${text(where.value)}${extraText} }`, indent, q),
      });
      continue;
    }

    // The read that decided this create: the closest earlier read of the same model in the same function.
    const fn = enclosingFunction(call.call);
    const read = calls
      .filter((item) => READ_METHODS.has(item.method) && item.model === call.model && enclosingFunction(item.call) === fn && item.call.range[1] <= call.call.range[0])
      .at(-1);
    const readArgs = read && objectArgument(read.call);
    const where = readArgs && findProperty(readArgs, 'where');
    const whereFields = keysOf(where?.value);
    if (!read || !where || !whereFields) {
      report('not rewritten: the read\'s `where` is not an inline object', problem.line);
      continue;
    }
    if (read.method.startsWith('findFirst') && !isUniqueWhere(schema, call.model, whereFields)) {
      report(`not rewritten: \`${call.model}.${read.method}\` filters on ${whereFields.join(', ')}, which is not a unique key of the model in the Prisma schema; only a unique constraint makes "create if missing" atomic (add @unique or @@unique([...]) and a migration)`, problem.line);
      continue;
    }
    const data = args && findProperty(args, 'data');
    if (!args || !data) {
      report('not rewritten: this create\'s arguments are not an inline object with `data`', problem.line);
      continue;
    }

    // if (found) { update(...) } else { create(...) } on one unique field: one native upsert.
    const upsert = nativeUpsert(call, read, where, data);
    if (upsert) {
      edits.push(upsert);
      continue;
    }
    edits.push({
      start: call.call.range[0],
      end: call.call.range[1],
      text: createOrRead(receiver, call.model, text(args), `{ where: ${text(where.value)}${extraText} }`, indent, q),
    });
  }

  function nativeUpsert(create: ModelCall, read: ModelCall, where: TSESTree.Property, data: TSESTree.Property): TextEdit | undefined {
    let statement: TSESTree.Node | undefined = create.call;
    while (statement && statement.type !== AST_NODE_TYPES.ExpressionStatement) statement = statement.parent;
    const elseBlock = statement?.parent;
    const ifStatement = elseBlock?.type === AST_NODE_TYPES.BlockStatement ? elseBlock.parent : elseBlock;
    if (ifStatement?.type !== AST_NODE_TYPES.IfStatement || !ifStatement.alternate) return undefined;
    const single = (branch: TSESTree.Statement): TSESTree.Statement | undefined =>
      branch.type === AST_NODE_TYPES.BlockStatement ? (branch.body.length === 1 ? branch.body[0] : undefined) : branch;
    if (single(ifStatement.alternate) !== statement) return undefined;
    const updateStatement = single(ifStatement.consequent);
    if (updateStatement?.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
    let updateExpression = unwrapExpression(updateStatement.expression);
    if (updateExpression.type === AST_NODE_TYPES.AwaitExpression) updateExpression = unwrapExpression(updateExpression.argument);
    const update = getModelCall(updateExpression);
    const updateArgs = update && objectArgument(update.call);
    const updateData = updateArgs && findProperty(updateArgs, 'data');
    const updateWhere = updateArgs && findProperty(updateArgs, 'where');
    if (!update || update.method !== 'update' || update.model === undefined || update.model !== create.model || !updateData || !updateWhere) return undefined;
    const fields = keysOf(where.value);
    const dataValue = unwrapExpression(data.value);
    const updateValue = unwrapExpression(updateData.value);
    if (
      !fields || fields.length !== 1 || text(updateWhere.value) !== text(where.value) ||
      !isUniqueWhere(schema, create.model, fields) || !supportsNativeUpsert(schema) ||
      updateValue.type !== AST_NODE_TYPES.ObjectExpression || updateValue.properties.length === 0 ||
      dataValue.type !== AST_NODE_TYPES.ObjectExpression || hasNestedWrites(dataValue) || hasNestedWrites(updateValue) ||
      read.call.range[0] > create.call.range[0]
    ) {
      return undefined;
    }
    // The same value in `create` for the unique field, or Prisma falls back to read-then-write.
    const whereValue = unwrapExpression(where.value) as TSESTree.ObjectExpression;
    const key = findProperty(whereValue, fields[0]);
    const createKey = findProperty(dataValue, fields[0]);
    if (!key || !createKey || text(key.value) !== text(createKey.value)) return undefined;
    const indent = indentAt(source, ifStatement.range[0]);
    return {
      start: ifStatement.range[0],
      end: ifStatement.range[1],
      text: `await ${text(create.receiver)}.${create.model}.upsert({\n${indent}  where: ${text(where.value)},\n${indent}  update: ${text(updateData.value)},\n${indent}  create: ${text(data.value)},\n${indent}});`,
    };
  }

  if (edits.length === 0) return undefined;
  return applyEdits(source, edits);
}

function indexOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) offset = source.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

export default leaveUndecodableFilesAlone(transform);
