import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findProperty, getPropertyName, unwrapExpression } from '../core/ast';
import { createRule } from '../core/create-rule';
import { IGNORE_FILES_SCHEMA, isIgnoredFile, TEST_FILE_GLOBS } from '../core/test-files';
import { READ_METHODS, getModelCall, type ModelCall } from '../prisma/prisma-model-call';
import { prismaSchemaFor, supportsNativeUpsert, uniqueKeysOf, uniqueKeyWithin, type PrismaSchema } from '../prisma/prisma-schema';
import {
  FUNCTION_TYPES, asObject, classifyFound, keysOf, createsOtherRow, decidedBy, decidingScopes, emptyNestedUpserts, enclosingFunction, fixedValueFields,
  holdingStatement, isClaimedBefore, isInDiscardedAllSettled, isRefusedOnTheWay, isKeyMadeHere, keyScope, namesHolding, objectArgument, readVariable, whereFieldNames, workspaceSchemaPath,
  type Decision, type FoundKind,
} from '../prisma/read-then-create';

export type Options = [
  {
    /** Globs of files the rule skips (tests, e2e suites, mocks by default). */
    ignoreFiles?: readonly string[];
    /** Report a check that rejects an existing row (`throw new ConflictException()`, `res.status(409)`) before a create. */
    checkThenReject?: boolean;
    /** The Prisma schema (file or folder), relative to the working directory, when it is not found from the linted file. */
    prismaSchema?: string;
  },
];

export type MessageIds =
  | 'readThenCreate'
  | 'readThenCreateDuplicates'
  | 'readThenCreateUnverified'
  | 'checkThenReject'
  | 'checkThenRejectDuplicates'
  | 'checkThenRejectUnverified'
  | 'emptyUpdateUpsert'
  | 'upsertNotNative'
  | 'emptyUpdateNestedUpsert';

const DEFAULT_OPTIONS: Options[0] = { ignoreFiles: TEST_FILE_GLOBS, checkThenReject: true };

/** A create whose read, on the same model and before it, decides whether it runs. */
interface Candidate {
  create: ModelCall;
  read: ModelCall;
  found?: FoundKind;
}

/**
 * Whether a catch handler deals with a unique violation: it names the code `P2002`, or calls a project
 * helper named for it (`isDuplicateError(e)`, `isUniqueConstraintError(e)`, `isUniqueViolation(e)`).
 * `e instanceof PrismaClientKnownRequestError` alone is not: it is how errors get wrapped
 * (`throw new DatabaseError(e.message)`), and a wrapped P2002 is still the loser's failure.
 */
function checksUniqueViolation(handler: string): boolean {
  return handler.includes('P2002') || /\bis(?:Duplicate|Unique(?:Key)?(?:Constraint|Violation))\w*\s*\(/.test(handler);
}

/** `catch (e) { if (e.code === 'P2002') … }` or `catch (e) { if (isDuplicateError(e)) … }` around the call, or `.catch(…)` on it saying the same: the race is handled. */
function handlesUniqueViolation(call: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  for (let current = call.parent; current && !FUNCTION_TYPES.has(current.type); current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && current.handler && checksUniqueViolation(sourceCode.getText(current.handler)) && current.block.range[0] <= call.range[0] && call.range[1] <= current.block.range[1]) return true;
  }
  const chained = call.parent;
  if (chained?.type === AST_NODE_TYPES.MemberExpression && getPropertyName(chained) === 'catch' && chained.parent?.type === AST_NODE_TYPES.CallExpression) {
    return chained.parent.arguments.some((handler) => checksUniqueViolation(sourceCode.getText(handler)));
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

function whereOf(call: ModelCall): TSESTree.Node | undefined {
  const args = objectArgument(call.call);
  return args && findProperty(args, 'where')?.value;
}

function dataOf(call: ModelCall): TSESTree.Node | undefined {
  const args = objectArgument(call.call);
  return args && findProperty(args, 'data')?.value;
}

const list = (fields: readonly string[]): string => fields.join(', ');

/** `randomUUID()`, `createId({ prefix })`, `generateDatabaseId('x')`, `nanoid()`: a value no other call sets. */
function isFreshId(value: TSESTree.Node): boolean {
  let node = unwrapExpression(value);
  if (node.type === AST_NODE_TYPES.AwaitExpression) node = unwrapExpression(node.argument);
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrapExpression(node.callee);
  const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(callee) : undefined;
  return name !== undefined && /^(?:randomUUID|uuid(?:v\d)?|v[1-7]|cuid2?|nanoid|ulid|ObjectId|(?:create|generate|new|make)\w*Id)$/i.test(name);
}

/** A unique key of the model whose fields are the read's plus fields the create sets (not to a fresh id): the extra fields. */
function keyCompletedByCreate(keys: readonly string[][], readFields: readonly string[], data: TSESTree.Node | undefined): { key: string[]; extra: string[] } | undefined {
  const object = asObject(data);
  if (!object) return undefined;
  const set = new Map<string, TSESTree.Node>();
  for (const property of object.properties) {
    const name = property.type === AST_NODE_TYPES.Property ? getPropertyName(property) : undefined;
    if (property.type === AST_NODE_TYPES.Property && name !== undefined) set.set(name, property.value);
  }
  for (const key of keys) {
    const extra = key.filter((field) => !readFields.includes(field));
    if (extra.length === 0 || extra.length === key.length) continue;
    if (extra.every((field) => set.has(field) && !isFreshId(set.get(field)!))) return { key, extra };
  }
  return undefined;
}

/**
 * `where: { OR: [{ email }, { teamId }] }` (fields beside the `OR` belong to every branch): each branch's
 * fields with the object they come from; undefined for any other shape.
 */
function orAlternatives(where: TSESTree.Node | undefined): { fields: string[]; where: TSESTree.Node }[] | undefined {
  const object = asObject(where);
  const or = object && findProperty(object, 'OR');
  const branches = or && unwrapExpression(or.value);
  if (!object || !or || branches?.type !== AST_NODE_TYPES.ArrayExpression || branches.elements.length === 0) return undefined;
  const shared = object.properties.filter((property) => property !== or);
  const sharedFields = shared.length > 0 ? whereFieldNames({ ...object, properties: shared } as TSESTree.ObjectExpression) : [];
  if (!sharedFields) return undefined;
  const result: { fields: string[]; where: TSESTree.Node }[] = [];
  for (const element of branches.elements) {
    const branch = element && element.type !== AST_NODE_TYPES.SpreadElement ? whereFieldNames(element) : undefined;
    if (!element || !branch) return undefined;
    result.push({ fields: [...new Set([...sharedFields, ...branch])], where: element });
  }
  return result;
}

/** How the `where` compares a fixed-value field, as SQL: `= …`, `IN (…)`, `<> …`. */
function comparison(where: TSESTree.Node | undefined, field: string): string {
  const object = asObject(where);
  const value = object && asObject(findProperty(object, field)?.value);
  const operator = value && value.properties[0]?.type === AST_NODE_TYPES.Property ? getPropertyName(value.properties[0]) : undefined;
  return operator === 'in' ? 'IN (…)' : operator === 'notIn' ? 'NOT IN (…)' : operator === 'not' ? '<> …' : '= …';
}

export default createRule<Options, MessageIds>({
  name: 'no-findunique-then-create',
  meta: {
    defaultOptions: [DEFAULT_OPTIONS],
    type: 'problem',
    docs: {
      description: 'Disallow reading a Prisma row and creating it when missing: two instances both see "missing", and one fails with P2002 or the table gets a duplicate row',
      recommended: true,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          ignoreFiles: IGNORE_FILES_SCHEMA,
          checkThenReject: {
            type: 'boolean',
            description:
              'Report a check that rejects an existing row (`if (existing) throw new ConflictException()`, `return res.status(409)…`) before a create: under concurrency both requests pass it and the loser gets an unhandled P2002 error instead of the rejection. `false` stops reporting these.',
          },
          prismaSchema: {
            type: 'string',
            description:
              'The Prisma schema file or folder, relative to the working directory. By default the rule looks from each file\'s nearest package.json (prisma.config.ts `schema`, package.json `prisma.schema`, `prisma/schema.prisma`, `schema.prisma`, `prisma/schema/`) to tell which fields are unique; in a monorepo whose app has no schema of its own, the one of the workspace package it depends on (`"@acme/database": "workspace:*"`), when exactly one such package has a schema.',
          },
        },
      },
    ],
    messages: {
      readThenCreate:
        '`{{model}}.create()` runs when `{{model}}.{{read}}()` on line {{line}} found nothing: two requests or instances can both see "missing", and the unique constraint on {{key}} makes one of them fail with P2002 "Unique constraint failed". Create atomically: catch P2002 on the create and read the row back, or `upsert` with a real update.',
      readThenCreateDuplicates:
        '`{{model}}.create()` runs when `{{model}}.{{read}}()` on line {{line}} found nothing, and no unique constraint covers {{fields}}: two requests or instances can both see "missing" and both insert, so the table gets duplicate rows. Add {{constraint}} and a migration, then catch P2002 on the create.',
      readThenCreateUnverified:
        '`{{model}}.create()` runs when `{{model}}.{{read}}()` on line {{line}} found nothing: two requests or instances can both see "missing" and both insert, so one fails with P2002 if a unique constraint covers {{fields}}, and the table gets a duplicate row if none does ({{why}}). Make sure {{fields}} is unique, then catch P2002 on the create and read the row back.',
      checkThenReject:
        '`{{model}}.create()` runs when `{{model}}.{{read}}()` on line {{line}} found nothing, and the request is refused when it finds the row (the code {{rejection}}): two requests can both pass that check, and the unique constraint on {{key}} fails the loser\'s create with P2002, an unhandled error instead of the refusal. Catch P2002 on the create and refuse the same way.',
      checkThenRejectDuplicates:
        '`{{model}}.create()` runs when `{{model}}.{{read}}()` on line {{line}} found nothing, and the request is refused when it finds the row (the code {{rejection}}), but no unique constraint covers {{fields}}: two requests can both pass that check and both insert, so the table gets duplicate rows. Add {{constraint}} and a migration, then catch P2002 on the create and refuse the same way.',
      checkThenRejectUnverified:
        '`{{model}}.create()` runs when `{{model}}.{{read}}()` on line {{line}} found nothing, and the request is refused when it finds the row (the code {{rejection}}): two requests can both pass that check, and the loser fails with P2002 (an unhandled error instead of the refusal) if a unique constraint covers {{fields}}, or inserts a duplicate row if none does ({{why}}). Make sure {{fields}} is unique, then catch P2002 on the create and refuse the same way.',
      emptyUpdateUpsert:
        '`upsert` with an empty `update` is not run as one INSERT … ON CONFLICT: Prisma reads, then creates, so two concurrent calls on a missing row both create and one fails with P2002. Read first and create only when missing, catching P2002 and reading the row back, or give `update` a real field.',
      upsertNotNative:
        '`upsert` runs as a read, then a create, on {{database}}: Prisma turns it into one INSERT … ON CONFLICT only on PostgreSQL, CockroachDB and SQLite without `relationMode = "prisma"`, so two concurrent calls on a missing row both create and one fails with P2002. Catch P2002 on it and read the row back (or run the upsert again).',
      emptyUpdateNestedUpsert:
        'A nested `upsert` with an empty `update` is run as a read, then a create of the related row: two concurrent writes can both find it missing, and one fails with P2002. Catch P2002 on the outer `{{method}}` and run it again (the related row then exists), or create the related row first.',
    },
  },
  create(context, [options]) {
    const { sourceCode } = context;
    if (!/find(?:Unique|First)|upsert/.test(sourceCode.text)) return {};
    const { ignoreFiles = TEST_FILE_GLOBS, checkThenReject = true, prismaSchema } = options;
    // A test's setup seeds one row at a time; a race there is not a production failure.
    if (isIgnoredFile(context.filename, context.cwd, ignoreFiles)) return {};
    const readsByScope = new Map<TSESTree.Node, ModelCall[]>();
    const creates: ModelCall[] = [];
    // Read only when a finding needs it, once per lint of a file.
    let schema: PrismaSchema | undefined | null = null;
    const findSchema = (): PrismaSchema | undefined => {
      const own = prismaSchemaFor(context.filename, prismaSchema, context.cwd);
      if (own || prismaSchema) return own;
      // A monorepo app whose schema is in the workspace package it depends on.
      const workspace = workspaceSchemaPath(context.filename);
      return workspace ? prismaSchemaFor(context.filename, workspace, context.cwd) : undefined;
    };
    const getSchema = (): PrismaSchema | undefined => (schema === null ? (schema = findSchema()) : schema);
    const describe = (node: TSESTree.Node): string => {
      const [first, ...rest] = sourceCode.getText(node).split('\n');
      const shown = rest.length > 0 ? `${first.trimEnd()} …` : first;
      return shown.length > 70 ? `${shown.slice(0, 68)} …` : shown;
    };

    function reportUpsert(call: ModelCall): void {
      const args = objectArgument(call.call);
      const update = args && findProperty(args, 'update');
      const value = update && asObject(update.value);
      if (!update || !value || value.properties.length > 0) return;
      if (handlesUniqueViolation(call.call, sourceCode) || isSerializable(call.call, sourceCode) || isInDiscardedAllSettled(call.call)) return;
      if (isKeyMadeHere(findProperty(args, 'where')?.value, keyScope(call.call))) return;
      const schema = getSchema();
      if (schema?.provider && !supportsNativeUpsert(schema)) {
        const database = schema.relationMode === 'prisma' ? `${schema.provider} with \`relationMode = "prisma"\`` : schema.provider;
        context.report({ node: update, messageId: 'upsertNotNative', data: { database } });
        return;
      }
      context.report({ node: update, messageId: 'emptyUpdateUpsert' });
    }

    /** The read that decides the create: the nearest one before it whose result (or an alias of it) the code tests for "missing". */
    function decidingRead(create: ModelCall): Candidate | undefined {
      const scopes = decidingScopes(create.call);
      const reads = scopes
        .flatMap((scope) => readsByScope.get(scope) ?? [])
        .filter((read) => read.model === create.model && read.call.range[1] <= create.call.range[0])
        .sort((a, b) => b.call.range[0] - a.call.range[0]);
      const statement = holdingStatement(create.call) ?? (create.call as TSESTree.Node as TSESTree.Statement);
      let unclear: ModelCall | undefined;
      for (const read of reads) {
        const name = readVariable(read);
        const names = name === undefined ? [undefined] : namesHolding(read, name);
        for (const held of names) {
          const decision: Decision | 'present' | 'unclear' | undefined = decidedBy(create.call, statement, read, held);
          if (decision === 'unclear') unclear ??= read;
          if (decision && typeof decision === 'object') return { create, read, found: classifyFound(decision.found, held, create.model, describe) };
        }
      }
      return unclear && { create, read: unclear };
    }

    function reportCreate({ create, read, found }: Candidate): void {
      const where = whereOf(read);
      const fields = whereFieldNames(where);
      if (fields && createsOtherRow(fields, dataOf(create))) return;
      const scope = enclosingFunction(create.call) ?? sourceCode.ast;
      if (isClaimedBefore(create.call, scope) || isKeyMadeHere(where, keyScope(read.call))) return;
      const rejected = found?.kind === 'reject';
      if (rejected && !checkThenReject) return;
      if (rejected && found.thrown && isRefusedOnTheWay(found.thrown, read.call.range[1], create.call, scope, (node) => sourceCode.getText(node))) return;
      const callee = unwrapExpression(create.call.callee) as TSESTree.MemberExpression;
      const line = String(read.call.loc.start.line);
      // `where: { email }` reads one set of fields; `where: { OR: [{ email }, { teamId }] }` one per branch, any of which finds the row.
      const alternatives = fields && where ? [{ fields, where }] : orAlternatives(where);
      const shownOf = (group: readonly string[]): string => `\`${list(group)}\``;
      const topLevel = keysOf(where);
      const shown = alternatives ? alternatives.map((item) => shownOf(item.fields)).join(' or ') : topLevel ? `what \`${list(topLevel)}\` selects` : `what the read selects`;
      const data = { model: create.model, read: read.method, line, fields: shown, rejection: rejected ? found.what : '', key: shown, constraint: '', why: 'no Prisma schema with this model was found' };
      const current = getSchema();
      const known = uniqueKeysOf(current, create.model) !== undefined;
      const keys = alternatives?.map((item) => uniqueKeyWithin(current, create.model, item.fields));
      const key = keys?.every((item): item is string[] => item !== undefined) ? keys : undefined;
      // findUnique's `where` is unique by Prisma's own types, schema or not.
      if (key || (read.method.startsWith('findUnique') && !(known && alternatives))) {
        if (key) data.key = key.map(shownOf).join(' or ');
        context.report({ node: callee.property, messageId: rejected ? 'checkThenReject' : 'readThenCreate', data });
        return;
      }
      if (known && !alternatives) {
        // A filter the schema cannot map to fields (a relation's `some`, `AND`): duplicates are certain only when
        // no unique key of the model can hold the same values twice, i.e. the create sets none but fresh ids.
        const data2 = asObject(dataOf(create));
        const setsKey = (uniqueKeysOf(current, create.model) ?? []).some((key) => key.every((field) => {
          const property = data2 && findProperty(data2, field);
          return data2 === undefined || data2.properties.some((item) => item.type === AST_NODE_TYPES.SpreadElement) || (property !== undefined && !isFreshId(property.value));
        }));
        if (!setsKey) {
          data.constraint = `a unique constraint on what identifies a ${create.model} (the fields the check reads)`;
          context.report({ node: callee.property, messageId: rejected ? 'checkThenRejectDuplicates' : 'readThenCreateDuplicates', data });
          return;
        }
        data.why = `the read filters on more than fields of \`${create.model}\`, so the schema does not tell which`;
      }
      if (!known || !alternatives || !keys) {
        context.report({ node: callee.property, messageId: rejected ? 'checkThenRejectUnverified' : 'readThenCreateUnverified', data });
        return;
      }
      // The branch no unique key covers: two requests with the same values there both insert.
      const uncovered = alternatives[keys.findIndex((item) => item === undefined)];
      // A unique key the create completes (`@@unique([workspaceId, title])`, the read pins only title): the two
      // racing creates collide when they set the same workspaceId, which the code does not show.
      const completed = keyCompletedByCreate(uniqueKeysOf(current, create.model) ?? [], uncovered.fields, dataOf(create));
      if (completed) {
        data.why = `no unique key covers these alone; the one on \`${list(completed.key)}\` also holds ${completed.extra.map((field) => `\`${field}\``).join(', ')}, which the create sets and the read does not pin: the two creates collide only if they set the same value there`;
        context.report({ node: callee.property, messageId: rejected ? 'checkThenRejectUnverified' : 'readThenCreateUnverified', data });
        return;
      }
      data.fields = shownOf(uncovered.fields);
      const fixed = fixedValueFields(uncovered.where);
      const keyFields = uncovered.fields.filter((field) => !fixed.includes(field));
      data.constraint =
        fixed.length > 0 && keyFields.length > 0
          ? `a unique index on ${list(keyFields)} limited to the rows the check reads (\`WHERE ${fixed.map((field) => `"${field}" ${comparison(uncovered.where, field)}`).join(' AND ')}\`, a partial index written in the migration's SQL)`
          : `\`${uncovered.fields.length === 1 ? `@unique\` on ${uncovered.fields[0]}` : `@@unique([${list(uncovered.fields)}])\``}`;
      context.report({ node: callee.property, messageId: rejected ? 'checkThenRejectDuplicates' : 'readThenCreateDuplicates', data });
    }

    return {
      CallExpression(node) {
        const call = getModelCall(node);
        if (!call) return;
        if (call.method === 'upsert') reportUpsert(call);
        const args = objectArgument(node);
        if (args && ['create', 'update', 'upsert', 'updateMany'].includes(call.method)) {
          for (const update of emptyNestedUpserts(args)) {
            if (!handlesUniqueViolation(node, sourceCode) && !isInDiscardedAllSettled(node)) context.report({ node: update, messageId: 'emptyUpdateNestedUpsert', data: { method: call.method } });
          }
        }
        if (READ_METHODS.has(call.method)) {
          const scope = enclosingFunction(node) ?? sourceCode.ast;
          readsByScope.set(scope, [...(readsByScope.get(scope) ?? []), call]);
          return;
        }
        if (call.method === 'create') creates.push(call);
      },
      'Program:exit'() {
        for (const create of creates) {
          if (handlesUniqueViolation(create.call, sourceCode) || isSerializable(create.call, sourceCode) || isInDiscardedAllSettled(create.call)) continue;
          const candidate = decidingRead(create);
          if (candidate) reportCreate(candidate);
        }
      },
    };
  },
});
