import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findProperty, getPropertyName, unwrapExpression, walk } from '../core/ast';
import { createRule } from '../core/create-rule';
import { IGNORE_FILES_SCHEMA, isIgnoredFile, TEST_FILE_GLOBS } from '../core/test-files';
import { READ_METHODS, getModelCall, type ModelCall } from '../prisma/prisma-model-call';

export type Options = [
  {
    /** Globs of files the rule skips (tests, e2e suites, mocks by default). */
    ignoreFiles?: readonly string[];
  },
];

export type MessageIds = 'readThenCreate' | 'emptyUpdateUpsert';

const FUNCTION_TYPES = new Set<string>([AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.FunctionExpression, AST_NODE_TYPES.ArrowFunctionExpression]);

interface Read {
  call: ModelCall;
  /** The variable holding the result, or undefined for `OrThrow` reads decided by a catch. */
  variable?: string;
}

function enclosingFunction(node: TSESTree.Node): TSESTree.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (FUNCTION_TYPES.has(current.type) || current.type === AST_NODE_TYPES.Program) return current;
  }
  return node;
}

function references(node: TSESTree.Node | null | undefined, name: string): boolean {
  if (!node) return false;
  let found = false;
  walk(node, (current) => {
    if (current.type === AST_NODE_TYPES.Identifier && current.name === name) found = true;
  });
  return found;
}

function alwaysExits(statement: TSESTree.Statement): 'throw' | 'leave' | undefined {
  const last = statement.type === AST_NODE_TYPES.BlockStatement ? statement.body.at(-1) : statement;
  if (!last) return undefined;
  if (last.type === AST_NODE_TYPES.ThrowStatement) return 'throw';
  if (last.type === AST_NODE_TYPES.ReturnStatement || last.type === AST_NODE_TYPES.ContinueStatement || last.type === AST_NODE_TYPES.BreakStatement) return 'leave';
  return undefined;
}

/** Whether the create only runs when the read found nothing: inside a branch or fallback on the read's variable. */
function isDecidedBy(create: TSESTree.Node, variable: string, read: TSESTree.Node): boolean {
  let child: TSESTree.Node = create;
  for (let current = create.parent; current && !FUNCTION_TYPES.has(current.type); child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.IfStatement && child !== current.test && references(current.test, variable)) return true;
    if (current.type === AST_NODE_TYPES.ConditionalExpression && child !== current.test && references(current.test, variable)) return true;
    if (current.type === AST_NODE_TYPES.LogicalExpression && child === current.right && references(current.left, variable)) return true;
    // if (existing) return existing;  …  create()
    if ((current.type === AST_NODE_TYPES.BlockStatement || current.type === AST_NODE_TYPES.Program) && 'body' in current) {
      const body = current.body as TSESTree.Node[];
      const index = body.indexOf(child);
      for (const earlier of body.slice(0, index)) {
        if (earlier.range[0] < read.range[1]) continue;
        if (earlier.type === AST_NODE_TYPES.IfStatement && references(earlier.test, variable) && alwaysExits(earlier.consequent) === 'leave') return true;
      }
    }
  }
  return false;
}

/** `catch (e) { if (e.code === 'P2002') … }` around the create: the race is handled. */
function handlesUniqueViolation(create: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  for (let current = create.parent; current && !FUNCTION_TYPES.has(current.type); current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && current.handler && sourceCode.getText(current.handler).includes('P2002') && current.block.range[0] <= create.range[0] && create.range[1] <= current.block.range[1]) return true;
  }
  // create(...).catch((e) => … 'P2002' …)
  const chained = create.parent;
  if (chained?.type === AST_NODE_TYPES.MemberExpression && getPropertyName(chained) === 'catch' && chained.parent?.type === AST_NODE_TYPES.CallExpression) {
    return sourceCode.getText(chained.parent).includes('P2002');
  }
  return false;
}

/** Inside `$transaction(fn, { isolationLevel: …Serializable })`: PostgreSQL aborts one of two racing transactions instead. */
function isSerializable(node: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type !== AST_NODE_TYPES.CallExpression) continue;
    const callee = unwrapExpression(current.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || getPropertyName(callee) !== '$transaction') continue;
    const options = current.arguments[1] && unwrapExpression(current.arguments[1]);
    if (options?.type === AST_NODE_TYPES.ObjectExpression) {
      const isolation = findProperty(options, 'isolationLevel');
      if (isolation && /Serializable/.test(sourceCode.getText(isolation.value))) return true;
    }
  }
  return false;
}

export default createRule<Options, MessageIds>({
  name: 'no-findunique-then-create',
  meta: {
    defaultOptions: [{ ignoreFiles: TEST_FILE_GLOBS }],
    type: 'problem',
    docs: {
      description: 'Disallow reading a Prisma row and creating it when missing: two instances both see "missing" and one fails with P2002',
      recommended: true,
    },
    schema: [{ type: 'object', additionalProperties: false, properties: { ignoreFiles: IGNORE_FILES_SCHEMA } }],
    messages: {
      readThenCreate:
        '`{{model}}.create()` runs because `{{model}}.{{read}}()` (line {{line}}) found nothing: two requests or instances both see "missing", and one fails with P2002 "Unique constraint failed" (measured: 350 of 400 concurrent calls). Write it atomically: create and catch P2002, or `upsert` with a real update.',
      emptyUpdateUpsert:
        '`upsert` with an empty `update` is not run as a native upsert: Prisma reads then creates, and it races exactly like read-then-create (P2002, measured 350 of 400). Create and catch P2002, or `createMany({ skipDuplicates: true })` then read.',
    },
  },
  create(context, [{ ignoreFiles = TEST_FILE_GLOBS }]) {
    const { sourceCode } = context;
    if (!/find(?:Unique|First)|upsert/.test(sourceCode.text)) return {};
    // A test's setup seeds one row at a time; a race there is not a production failure.
    if (isIgnoredFile(context.filename, context.cwd, ignoreFiles)) return {};
    const readsByFunction = new Map<TSESTree.Node, Read[]>();
    const creates: ModelCall[] = [];

    return {
      CallExpression(node) {
        const call = getModelCall(node);
        if (!call) return;
        if (call.method === 'upsert') {
          const args = node.arguments[0] && unwrapExpression(node.arguments[0]);
          const update = args?.type === AST_NODE_TYPES.ObjectExpression ? findProperty(args, 'update') : undefined;
          const value = update && unwrapExpression(update.value);
          if (update && value?.type === AST_NODE_TYPES.ObjectExpression && value.properties.length === 0) {
            context.report({ node: update, messageId: 'emptyUpdateUpsert' });
          }
          return;
        }
        if (READ_METHODS.has(call.method)) {
          let holder: TSESTree.Node = node;
          while (holder.parent?.type === AST_NODE_TYPES.AwaitExpression || holder.parent?.type === AST_NODE_TYPES.TSAsExpression) holder = holder.parent;
          const parent = holder.parent;
          let variable: string | undefined;
          if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) variable = parent.id.name;
          else if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left.type === AST_NODE_TYPES.Identifier) variable = parent.left.name;
          const fn = enclosingFunction(node);
          readsByFunction.set(fn, [...(readsByFunction.get(fn) ?? []), { call, variable }]);
          return;
        }
        if (call.method === 'create') creates.push(call);
      },
      'Program:exit'() {
        for (const create of creates) {
          const reads = readsByFunction.get(enclosingFunction(create.call)) ?? [];
          for (const read of reads) {
            if (read.call.model !== create.model || read.call.call.range[1] > create.call.range[0]) continue;
            const decided =
              (read.call.method.endsWith('OrThrow') && isInCatchOfRead(create.call, read.call.call)) ||
              (read.variable !== undefined && isDecidedBy(create.call, read.variable, read.call.call));
            if (!decided || handlesUniqueViolation(create.call, sourceCode) || isSerializable(create.call, sourceCode)) continue;
            const callee = unwrapExpression(create.call.callee) as TSESTree.MemberExpression;
            context.report({
              node: callee.property,
              messageId: 'readThenCreate',
              data: { model: create.model, read: read.call.method, line: String(read.call.call.loc.start.line) },
            });
            break;
          }
        }
      },
    };
  },
});

/** `try { x = await m.findUniqueOrThrow() } catch { x = await m.create() }` */
function isInCatchOfRead(create: TSESTree.Node, read: TSESTree.Node): boolean {
  for (let current = create.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CatchClause && current.parent?.type === AST_NODE_TYPES.TryStatement) {
      const block = current.parent.block;
      if (block.range[0] <= read.range[0] && read.range[1] <= block.range[1]) return true;
    }
    if (FUNCTION_TYPES.has(current.type)) return false;
  }
  return false;
}
