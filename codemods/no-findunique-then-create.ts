import { dirname, resolve } from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { parse } from '@typescript-eslint/typescript-estree';
import { findProperty, getPropertyName, unwrapExpression, walk } from '../src/core/ast';
import { READ_METHODS, getModelCall, type ModelCall } from '../src/prisma/prisma-model-call';
import { isUniqueWhere, prismaSchemaFiles, readPrismaSchemaFiles, supportsNativeUpsert, supportsSkipDuplicatesInTransaction, uniqueKeyWithin, type PrismaSchema } from '../src/prisma/prisma-schema';
import rule from '../src/rules/no-findunique-then-create';
import { nearestPackageDirectory } from '../src/core/project-root';
import { applyEdits, OverlappingEditsError, type TextEdit } from './lib/text-edits';
import { createReporter } from './lib/report';
import { leaveUndecodableFilesAlone } from './lib/transform';
import { verifyWithPluginRule } from './lib/apply-rule-fixes';

import {
  FUNCTION_TYPES, asObject, classifyFound, decidedBy, keysOf, decidingScopes, enclosingFunction, hasNestedWrites, holdingStatement, isInert, isQuiet,
  namesBoundBetween, namesHolding, namesRead, normalized, objectArgument, pinnedFields, readVariable, readsRelations, statementsOf,
  transactionClient, unsetField, workspaceSchemaPath, type Decision, type Node, type NotDecided, type Pinned, type Statement,
} from '../src/prisma/read-then-create';

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
  const schemaDir = typeof options['schema-dir'] === 'string' ? resolve(options['schema-dir']) : undefined;
  const packageDir = nearestPackageDirectory(file.path);
  const schemaPath = schemaDir ?? packageDir ?? dirname(resolve(file.path));
  let schemaFiles = prismaSchemaFiles(schemaPath);
  // A monorepo app whose schema is in the workspace package it depends on: the rule looks there too.
  const workspaceSchema = schemaFiles.length === 0 && !schemaDir ? workspaceSchemaPath(file.path) : undefined;
  if (workspaceSchema) schemaFiles = prismaSchemaFiles(schemaPath, workspaceSchema);
  // The rule reads the same schema, so its messages and this codemod's choices agree. Under the file's
  // package.json it finds that schema by itself: with its default options, `deploy-safe fix` has its
  // findings from the lint it already made.
  const ruleOptions = schemaFiles.length > 0 && (schemaDir || !packageDir) ? [{ prismaSchema: schemaFiles.length === 1 ? schemaFiles[0] : dirname(schemaFiles[0]) }] : [];
  const messages = verifyWithPluginRule('no-findunique-then-create', rule, source, file.path, ruleOptions);
  if (messages.some((message) => message.fatal)) {
    report('skipped: the file does not parse');
    return undefined;
  }
  const problems = messages;
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
  const schema: PrismaSchema | undefined = readPrismaSchemaFiles(schemaFiles);
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

  /**
   * `.catch(P2002 → read the row)` after the create: the row returned either way, no existing row changed.
   * With `guard`, the fallback also marks that this call did not create the row.
   */
  function readBackAfter(create: ModelCall, method: string, where: Node, extras: TSESTree.Property[], guard?: CreatedOnly): TextEdit {
    const inner = indentAt(source, create.call.range[1]) + unit;
    const args = argumentsText([['where', where], ...extras.map((item): [string, Node] => [getPropertyName(item)!, item.value])], inner);
    return onConflict(create, 'read the row it created', `${text(create.receiver)}.${create.model}.${method}(${args})`, guard);
  }

  /** `.catch(P2002 → value)` after the create; `guard`'s flag is cleared there, so what only the creator does is skipped. */
  function onConflict(create: ModelCall, what: string, value: string, guard?: CreatedOnly): TextEdit {
    const indent = indentAt(source, create.call.range[1]);
    const inner = indent + unit;
    return {
      start: create.call.range[1],
      end: create.call.range[1],
      text: [
        `.catch(async (${errorParameter}) => {`,
        `${inner}// Another request or instance created it first (P2002): ${what}${guard ? `, and ${guard.does}` : ''}.`,
        `${inner}if (error?.code !== ${q}P2002${q}) throw error;`,
        ...(guard ? [`${inner}${guard.flag} = false;`] : []),
        `${inner}return ${value};`,
        `${indent}})`,
      ].join('\n'),
    };
  }

  /**
   * The statements after the create, on the path that created the row, that do more than log, answer or
   * hand the row on (an e-mail, an audit row, `isNew = true`): wrapped in `if (created) { … }`, with
   * `let created = true;` before the create, so they run only when this call inserted the row. A flag
   * rather than moving them into a `.then` callback: `return`, `break`, `yield` and the declarations
   * around them keep their meaning, and no callback parameter needs a type the client may not have.
   */
  function createdOnly(create: ModelCall, holder: Statement, after: Statement[]): CreatedOnly | { reason: string } {
    const effects = after.filter((item) => !isQuiet(item));
    const markers = creationMarkers(after);
    const siblings = followingStatements(holder);
    const outside = effects.find((item) => !siblings.includes(item));
    const shown = (item: Statement): string => `line ${item.loc.start.line} (\`${describe(item)}\`)`;
    const because = (why: string): { reason: string } => ({
      reason: `after this create, ${shown(effects[0])} still runs; if another request created the row first, this one would run it too, for a row it did not create (a second e-mail, a second audit entry), and it cannot be set to run only when this call created the row: ${why}; catch P2002 on this create and skip those steps when it fails`,
    });
    if (holder.type !== AST_NODE_TYPES.ExpressionStatement && holder.type !== AST_NODE_TYPES.VariableDeclaration) {
      return effects.length > 0 ? because('the create\'s value is not held in a statement of its own') : { reason: `the answer says \`${text(markers[0].parent as Node)}\` (line ${markers[0].loc.start.line}), which the request that lost the race would answer too, and the create's value is not held in a statement of its own; catch P2002 on this create and answer false there` };
    }
    // Not a name the function uses anywhere, not even as a property key (`{ created: true }`), to read plainly.
    const scope = enclosingFunction(create.call) ?? ast;
    const used = namesUsedIn(scope, 0);
    const flag = ['created', 'createdHere', 'createdByThisCall', 'insertedHere'].find((name) => !used.has(name)) ?? 'createdByThisCallHere';
    const declaration: TextEdit = { start: holder.range[0], end: holder.range[0], text: `let ${flag} = true;\n${indentAt(source, holder.range[0])}` };
    // `{ user, created: true }` after the create: what this call did, not always `true` once the loser reads the row back.
    const answers: TextEdit[] = markers.map((marker) => ({ start: marker.range[0], end: marker.range[1], text: flag }));
    const answer = 'answer that this call did not create it';
    if (effects.length === 0) return { flag, edits: [declaration, ...answers], does: answer };
    if (outside) return because(`${shown(outside)} is outside the block that holds the create`);
    const region = siblings.slice(siblings.indexOf(effects[0]), siblings.indexOf(effects.at(-1)!) + 1);
    const first = region[0];
    const last = region.at(-1)!;
    const start = lineStart(source, first.range[0]);
    if (first.loc.start.line === holder.loc.end.line || source.slice(start, first.range[0]).trim() !== '') return because(`${shown(first)} shares a line with other code`);
    const lineEnd = source.indexOf('\n', last.range[1]);
    const rest = source.slice(last.range[1], lineEnd === -1 ? source.length : lineEnd);
    if (!/^\s*(?:\/\/.*)?$/.test(rest)) return because(`${shown(last)} shares a line with other code`);
    const end = last.range[1] + rest.trimEnd().length;
    const declared = region.flatMap((item) => declaredNames(item));
    const usedLater = declared.find((name) => [...namesUsedIn(scope, end)].includes(name));
    if (usedLater) return because(`\`${usedLater}\`, declared there, is used after it`);
    const indent = indentAt(source, first.range[0]);
    const body = source.slice(start, end);
    const multiline = templateRanges(region);
    // An answer among the steps moved under `if (flag)` is `true` there anyway.
    const answersOutside = answers.filter((item) => item.start < start || item.end > end);
    const edits: TextEdit[] = [declaration, ...answersOutside];
    if (region.length === 1 && !body.includes('\n') && body.trim() === text(first)) {
      edits.push({ start: first.range[0], end: first.range[0], text: `if (${flag}) ` });
    } else {
      // One step deeper, but not inside a multi-line template literal, whose text would change.
      let offset = start;
      const lines = body.split('\n').map((line) => {
        const inTemplate = multiline.some(([from, to]) => from < offset && offset < to);
        offset += line.length + 1;
        return line.trim() === '' || inTemplate ? line : unit + line;
      });
      edits.push({ start, end, text: `${indent}if (${flag}) {\n${lines.join('\n')}\n${indent}}` });
    }
    return { flag, edits, does: answersOutside.length > 0 ? `skip what only its creator does and ${answer}` : 'skip what only its creator does' };
  }


  for (const problem of problems) {
    const offset = indexOf(source, problem.line, problem.column);
    // An upsert with `update: {}`: on a database without native upserts its message says so, the rewrite is the same.
    const emptyUpsert = problem.messageId === 'emptyUpdateUpsert' || problem.messageId === 'upsertNotNative';
    const call = calls.find((item) => {
      const property = (unwrapExpression(item.call.callee) as TSESTree.MemberExpression).property;
      if (problem.messageId === 'emptyUpdateNestedUpsert') return item.call.range[0] <= offset && offset <= item.call.range[1];
      return item.method === (emptyUpsert ? 'upsert' : 'create') && (property.range[0] === offset || (emptyUpsert && item.call.range[0] <= offset && offset <= item.call.range[1]));
    });
    const line = problem.line;
    if (!call) {
      report('not rewritten: could not find the Prisma call this finding points at; fix it by hand', line);
      continue;
    }
    if (problem.messageId === 'emptyUpdateNestedUpsert') {
      report(`not rewritten: a nested upsert runs inside this \`${call.method}\` and cannot be split out of it; catch P2002 on the \`${call.method}\` and run it once more (the related row then exists), or create the related row first`, line);
      continue;
    }
    const args = objectArgument(call.call);
    const client = transactionClient(call.receiver, text);
    /** Why createMany({ skipDuplicates }) cannot stand for the create inside this transaction, or undefined when it can. */
    const skipDuplicatesBlocked = (data: TSESTree.ObjectExpression, readKey: Pinned[]): string | undefined => {
      const where = client === 'callback' ? 'inside this interactive $transaction' : `\`${text(call.receiver)}\` is a transaction client, and inside a transaction`;
      const prefix = `not rewritten: ${where} a failed INSERT aborts the whole transaction on PostgreSQL (every later query fails with "current transaction is aborted"), so catching P2002 and reading the row cannot work`;
      if (!schema) return `${prefix}; the Prisma schema was not found, so it is not known whether createMany({ skipDuplicates: true }) can stand for it; retry the whole transaction on P2002`;
      if (schema.provider === 'mysql') {
        return `not rewritten: ${where} on MySQL every read after the first uses the transaction's REPEATABLE READ snapshot, which does not show the row another transaction created, so neither reading it back after P2002 nor createMany({ skipDuplicates: true }) then a read can return it; retry the whole transaction when it fails with P2002`;
      }
      if (!supportsSkipDuplicatesInTransaction(schema)) return `not rewritten: ${where} catching P2002 and reading the row back is not safe, and Prisma has no createMany({ skipDuplicates: true }) that stands for it on ${schema.provider ?? 'this database'}; retry the whole transaction when it fails with P2002`;
      if (hasNestedWrites(data)) return `${prefix}, and this create writes related rows, which createMany({ skipDuplicates: true }) cannot; retry the whole transaction when it fails with P2002`;
      if (data.properties.some((property) => property.type !== AST_NODE_TYPES.Property)) return `${prefix}, and it is not visible which fields this create sets; retry the whole transaction when it fails with P2002`;
      if (setsOtherUniqueKey(call.model, readKey, data)) return `${prefix}, and this create also sets another unique field, whose conflict createMany({ skipDuplicates: true }) would skip silently; retry the whole transaction when it fails with P2002`;
      return undefined;
    };
    const extras = args ? ['select', 'include', 'omit'].map((key) => findProperty(args, key)).filter((item): item is TSESTree.Property => item !== undefined) : [];

    if (emptyUpsert) {
      const where = args && findProperty(args, 'where');
      const create = args && findProperty(args, 'create');
      const update = args && findProperty(args, 'update');
      if (!args || !where || !create || !update || args.properties.some((property) => property.type !== AST_NODE_TYPES.Property)) {
        report('not rewritten: this upsert\'s arguments are not an inline object with `where` and `create`', line);
        continue;
      }
      const whereObject = asObject(where.value);
      const createObject = asObject(create.value);
      const pinned = whereObject && pinnedFields(whereObject, text);
      if (!whereObject || !createObject || !pinned || !isInert(whereObject)) {
        report('not rewritten: this upsert\'s `where` and `create` are not inline objects of plain values, so it is not known which row to read', line);
        continue;
      }
      const unset = unsetField(pinned.fields, createObject, text);
      if (unset) {
        report(`not rewritten: this upsert's \`create\` does not visibly set \`${unset}\` to the value its \`where\` looks for, so the row it creates may not be the one read back; check this site by hand`, line);
        continue;
      }
      if (client) {
        const blocked = skipDuplicatesBlocked(createObject, pinned.fields);
        if (blocked) {
          report(blocked, line);
          continue;
        }
        edits.push(...createManyInstead(call, args, create, 'findUniqueOrThrow', where.value, extras));
        continue;
      }
      const batch = batchTransaction(call.call);
      if (batch) {
        report(`not rewritten: this upsert is one of the queries of a batch \`$transaction([...])\` (line ${batch.loc.start.line}), which takes Prisma's own queries only; make the upsert's \`update\` non-empty, or move it out of the batch`, line);
        continue;
      }
      // Read first: an existing row (the usual case) costs no failed INSERT and no error log.
      const found = freeName(call.call, ['found', 'existing', 'row', 'current']);
      const readArgs = argumentsText([['where', where.value], ...extras.map((item): [string, Node] => [getPropertyName(item)!, item.value])], indentAt(source, call.call.range[0]));
      edits.push({ start: call.call.range[0], end: call.call.range[0], text: `${text(call.receiver)}.${call.model}.findUnique(${readArgs}).then((${found}) => ${found} ?? ` });
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
      const readBack = readBackAfter(call, 'findUniqueOrThrow', where.value, extras);
      edits.push({ ...readBack, text: `${readBack.text})` });
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
    const scopes = decidingScopes(call.call);
    const candidates = calls.filter((item) => READ_METHODS.has(item.method) && item.model === call.model && scopes.includes(enclosingFunction(item.call) ?? ast) && item.call.range[1] <= call.call.range[0]);
    const decided: { read: ModelCall; name?: string; decision: Decision }[] = [];
    let notDecided: { read: ModelCall; why: NotDecided } | undefined;
    for (const read of candidates) {
      const variable = readVariable(read);
      for (const name of variable === undefined ? [undefined] : namesHolding(read, variable)) {
        const decision = decidedBy(call.call, statement, read, name);
        if (decision === 'present' || decision === 'unclear') notDecided ??= { read, why: decision };
        else if (decision) {
          decided.push({ read, name, decision });
          break;
        }
      }
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
      const covering = uniqueKeyWithin(schema, call.model, whereFields);
      report(
        !schema?.uniqueKeys.has(call.model)
          ? `not rewritten: \`${call.model}.${read.method}\` filters on ${whereFields.join(', ')}, and no Prisma schema with this model was found to tell whether a unique constraint covers them; only one makes "create if missing" atomic (pass --schema-dir, or add @unique/@@unique([...]) and a migration)`
          : covering
            ? `not rewritten: \`${call.model}.${read.method}\` filters on ${whereFields.join(', ')}, more than its unique key (${covering.join(', ')}), so the row another request created may not match the read; catch P2002 on this create and handle it by hand`
            : `not rewritten: \`${call.model}.${read.method}\` filters on ${whereFields.join(', ')}, which is not a unique key of the model in the Prisma schema; only a unique constraint makes "create if missing" atomic (add @unique or @@unique([...]) and a migration)`,
        line,
      );
      continue;
    }
    const unset = unsetField(pinned.fields, dataObject, text);
    if (unset) {
      report(`not rewritten: this create does not visibly set \`${unset}\` to the value ${readName(read)} looks for, so it may make a different row than the one read; reading back after P2002 could return the wrong row; check this site by hand`, line);
      continue;
    }

    const found = classifyFound(decision.found, name, call.model, describe);
    if (found.kind === 'reject') {
      // A related row written in the same create (a tag's connectOrCreate) fails with P2002 on its own key:
      // refusing that as "already exists" would tell the user the wrong thing.
      if (found.thrown && hasNestedWrites(dataObject)) {
        report(`not rewritten: when the row already exists, this code rejects the request (line ${found.line} ${found.what}); this create also writes related rows, whose own unique keys fail with P2002 too, so catch P2002 on it and refuse the same way only when \`error.meta?.target\` names this key`, line);
        continue;
      }
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
      // A native upsert cannot tell whether it inserted: with steps only the creator takes, the update runs on P2002 instead.
      const creatorSteps = takesCreatorSteps(decision.after);
      if ('edit' in plan && !creatorSteps) {
        edits.push(plan.edit);
        continue;
      }
      const why = 'edit' in plan ? undefined : plan.reason;
      if ('edit' in plan || plan.fallback) {
        const blocked = updateOnConflictBlocked(call, args, found.update, client);
        const guard = blocked === undefined && creatorSteps ? createdOnly(call, holdingStatement(call.call)!, decision.after) : undefined;
        if (blocked === undefined && !(guard && 'reason' in guard)) {
          // create(…).catch(P2002 → the same update): the request that lost the race still applies its values.
          const inner = indentAt(source, call.call.range[1]) + unit;
          edits.push(onConflict(call, 'run this request\'s update on the row it created', reindent(source, found.update.call, inner), guard), ...(guard?.edits ?? []));
          continue;
        }
        const reason = blocked ?? (guard as { reason: string }).reason;
        report(`not rewritten: when the row already exists, this code updates it (line ${found.line}), so reading the row back after P2002 would drop this request's update; ${why ? `it cannot become one upsert because ${why}, and ` : ''}running the same update on P2002 does not fit here: ${reason}`, line);
        continue;
      }
      report(`not rewritten: when the row already exists, this code updates it (line ${found.line}), so reading the row back after P2002 would drop this request's update; it cannot become one upsert because ${why}; catch P2002 on this create and run the same update instead`, line);
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
    // What only the creator may do (a welcome e-mail) runs only when this call inserted the row.
    let guard: CreatedOnly | undefined;
    if (takesCreatorSteps(decision.after)) {
      const plan = createdOnly(call, holdingStatement(call.call)!, decision.after);
      if ('reason' in plan) {
        report(`not rewritten: ${plan.reason}`, line);
        continue;
      }
      guard = plan;
    }
    const readBack = read.method.startsWith('findFirst') ? 'findFirstOrThrow' : 'findUniqueOrThrow';
    if (client) {
      const blocked = skipDuplicatesBlocked(dataObject, pinned.fields);
      if (blocked) {
        report(blocked, line);
        continue;
      }
      edits.push(...createManyInstead(call, args, data, readBack, where.value, extras, guard), ...(guard?.edits ?? []));
      continue;
    }
    edits.push(readBackAfter(call, readBack, where.value, extras, guard), ...(guard?.edits ?? []));
  }

  /** Why `create(…).catch(P2002 → update)` cannot stand here, or undefined when it can. */
  function updateOnConflictBlocked(create: ModelCall, createArgs: TSESTree.ObjectExpression, update: ModelCall, client: 'callback' | 'parameter' | undefined): string | undefined {
    if (client) return `inside a transaction a failed INSERT aborts it on PostgreSQL, so the update after P2002 would fail with "current transaction is aborted"; retry the whole transaction on P2002`;
    const holder = holdingStatement(create.call);
    if (!holder) return 'the create\'s value is used inside a larger expression; catch P2002 on it by hand and run the same update';
    const used = !(holder.type === AST_NODE_TYPES.ExpressionStatement && unwrapExpression(holder.expression).type !== AST_NODE_TYPES.AssignmentExpression);
    const updateArgs = objectArgument(update.call);
    const shape = (args: TSESTree.ObjectExpression | undefined) => ['select', 'include', 'omit'].map((key) => { const property = args && findProperty(args, key); return property ? normalized(text(property.value)) : ''; }).join('|');
    if (used && shape(createArgs) !== shape(updateArgs)) return 'the create and the update return different fields (`select`/`include`/`omit`), and the value is used; catch P2002 on this create and run the update with the create\'s `select`';
    return undefined;
  }

  /** Whether `data` sets a unique key of the model other than the one the read pins: a P2002 may be about that one. */
  function setsOtherUniqueKey(model: string, readKey: Pinned[], data: TSESTree.ObjectExpression): boolean {
    const keys = schema?.uniqueKeys.get(model);
    if (!keys) return true;
    const set = new Set(data.properties.map((property) => (property.type === AST_NODE_TYPES.Property ? getPropertyName(property) : undefined)));
    const pinned = new Set(readKey.map(({ field }) => field));
    return keys.some((key) => key.every((field) => set.has(field)) && !key.every((field) => pinned.has(field)));
  }

  /**
   * Inside a transaction: `createMany({ data: [row], skipDuplicates: true })` (INSERT … ON CONFLICT DO
   * NOTHING, which waits for a racing transaction and never raises), then the row read by the deciding
   * `where` when the create's value is used. The transaction is never aborted.
   */
  function createManyInstead(create: ModelCall, createArgs: TSESTree.ObjectExpression, data: TSESTree.Property, readMethod: string, where: Node, readExtras: TSESTree.Property[], guard?: CreatedOnly): TextEdit[] {
    const method = (unwrapExpression(create.call.callee) as TSESTree.MemberExpression).property;
    const edits: TextEdit[] = [
      { start: method.range[0], end: method.range[1], text: 'createMany' },
      { start: data.value.range[0], end: data.value.range[0], text: '[' },
      // On its own line when the arguments are one per line.
      { start: data.value.range[1], end: data.value.range[1], text: `]${data.loc.start.line > create.call.loc.start.line ? `,\n${indentAt(source, data.range[0])}` : ', '}skipDuplicates: true` },
    ];
    if (getPropertyName(data) !== 'data') edits.push({ start: data.key.range[0], end: data.key.range[1], text: 'data' });
    const properties = createArgs.properties;
    const kept = properties.filter((property) => property === data || !(readExtras.includes(property as TSESTree.Property) || ['where', 'update'].includes(getPropertyName(property as TSESTree.Property) ?? '')));
    // select/include/omit move to the read; the rest stays where it was.
    edits.push(...removeProperties(properties, properties.filter((property) => !kept.includes(property))));
    const holder = holdingStatement(create.call);
    const unused = holder?.type === AST_NODE_TYPES.ExpressionStatement && !(unwrapExpression(holder.expression).type === AST_NODE_TYPES.AssignmentExpression);
    const args = argumentsText([['where', where], ...readExtras.map((item): [string, Node] => [getPropertyName(item)!, item.value])], indentAt(source, create.call.range[0]));
    const read = `${text(create.receiver)}.${create.model}.${readMethod}(${args})`;
    if (guard) {
      // The count says whether this call inserted the row (1) or another transaction had (0, skipped).
      const indent = indentAt(source, create.call.range[1]);
      const result = /\.[cm]?tsx?$/.test(file.path) ? 'result: { count: number }' : 'result';
      edits.push({
        start: create.call.range[1],
        end: create.call.range[1],
        text: [
          `.then((${result}) => {`,
          `${indent}${unit}// 0 when another request or instance created it first: ${guard.does}.`,
          `${indent}${unit}${guard.flag} = result.count === 1;`,
          ...(unused ? [] : [`${indent}${unit}return ${read.replace(/\n/g, `\n${unit}`)};`]),
          `${indent}})`,
        ].join('\n'),
      });
    } else if (!unused) {
      edits.push({ start: create.call.range[1], end: create.call.range[1], text: `.then(() => ${read})` });
    }
    return edits;
  }

  /** Edits that remove `removed` from an object's properties, each with its separator; the rest keep their layout. */
  function removeProperties(properties: TSESTree.ObjectLiteralElement[], removed: TSESTree.ObjectLiteralElement[]): TextEdit[] {
    const lastKept = Math.max(...properties.map((property, index) => (removed.includes(property) ? -1 : index)));
    const edits: TextEdit[] = [];
    for (const property of removed) {
      const index = properties.indexOf(property);
      if (index < lastKept) edits.push({ start: property.range[0], end: properties[index + 1].range[0], text: '' });
    }
    // Removed properties after the last one kept go in one piece, from the end of that one.
    if (lastKept >= 0 && lastKept < properties.length - 1) edits.push({ start: properties[lastKept].range[1], end: properties.at(-1)!.range[1], text: '' });
    return edits;
  }

  /** The batch `$transaction([...])` (or `$transaction(list)`) whose queries include this call. */
  function batchTransaction(node: Node): TSESTree.CallExpression | undefined {
    for (let current = node.parent; current; current = current.parent) {
      if (current.type !== AST_NODE_TYPES.CallExpression) continue;
      const callee = unwrapExpression(current.callee);
      const first = current.arguments[0];
      if (callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(callee) === '$transaction' && first && !FUNCTION_TYPES.has(first.type) && first.range[0] <= node.range[0] && node.range[1] <= first.range[1]) return current;
    }
    return undefined;
  }

  /** The first of `names` the call's text does not use: the new parameter shadows nothing it reads. */
  function freeName(node: Node, names: string[]): string {
    const used = namesRead(node);
    return names.find((name) => !used.has(name)) ?? `${names[0]}Row`;
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
  ): { edit: TextEdit } | { reason: string; fallback: boolean } {
    const updateArgs = objectArgument(update.call);
    const updateWhere = updateArgs && findProperty(updateArgs, 'where');
    const updateData = updateArgs && findProperty(updateArgs, 'data');
    const updateObject = asObject(updateData?.value);
    // What rules out running the same update after P2002 too: it would not be the update the code makes.
    if (!updateWhere || normalized(text(updateWhere.value)) !== normalized(text(where.value))) return { reason: `the update finds the row by ${updateWhere ? `\`${describe(updateWhere.value)}\`` : 'something else'}, not by the read's \`where\``, fallback: false };
    if (!updateObject || updateObject.properties.length === 0) return { reason: 'the update is empty or not an inline object', fallback: false };
    if (name !== undefined && namesRead(update.call).has(name)) return { reason: `the update uses the row it read (\`${name}\`)`, fallback: false };
    const bound = namesBoundBetween(enclosingFunction(read.call) ?? ast, read.call.range[1], create.call.range[0]);
    if ([...namesRead(update.call)].some((item) => bound.has(item))) return { reason: 'the update uses values computed only when the row exists', fallback: false };
    // What rules out only the native upsert: the update can still run when the create loses the race.
    const notNative = (reason: string) => ({ reason, fallback: true });
    if (!schema) return notNative('the Prisma schema was not found, so it is not known whether the database runs an upsert as one INSERT … ON CONFLICT');
    if (!supportsNativeUpsert(schema)) {
      return notNative(schema.relationMode === 'prisma' ? 'the schema sets relationMode = "prisma", and Prisma then runs an upsert as a read and a write' : `the database is ${schema.provider ?? 'not named in the schema'}, and Prisma runs an upsert as one INSERT … ON CONFLICT only on PostgreSQL, CockroachDB and SQLite`);
    }
    if (pinned.compound) return notNative(`it finds the row by a compound key (${pinned.compound}), and Prisma runs an upsert as one INSERT … ON CONFLICT only on a single unique field`);
    if (whereFields.length !== 1 || !isUniqueWhere(schema, create.model, whereFields)) return notNative(`it finds the row by ${whereFields.join(', ')}, which is not one unique field of ${create.model} in the Prisma schema`);
    if (hasNestedWrites(data) || hasNestedWrites(updateObject)) return notNative('it writes related rows (nested writes)');
    if (readsRelations(createArgs) || (updateArgs && readsRelations(updateArgs))) return notNative('it reads related rows (`include` or a nested `select`)');

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

/** What makes the statements after a create run only when it inserted the row: the flag and its edits. */
interface CreatedOnly {
  flag: string;
  edits: TextEdit[];
  /** What the flag changes, for the comment on the fallback: "skip what only its creator does". */
  does: string;
}

/** Keys whose `true` after a create says "this call created the row": `{ user, created: true }`, `isNew: true`. */
const CREATION_KEY = /^(?:created|isNew|isCreated|wasCreated|newlyCreated|inserted)$/;

/**
 * The `true` values under such keys in what the creating path answers: the object it returns, or one it
 * passes to a call (`res.status(201).json({ … })`, `reply.send({ … })`), its own properties only (a
 * `created: true` deeper down describes something else).
 */
function creationMarkers(after: readonly Statement[]): TSESTree.Literal[] {
  const answers: TSESTree.Node[] = [];
  for (const statement of after) {
    if (statement.type === AST_NODE_TYPES.ReturnStatement && statement.argument) answers.push(unwrapExpression(statement.argument));
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement) continue;
    const expression = unwrapExpression(statement.expression);
    if (expression.type === AST_NODE_TYPES.CallExpression) answers.push(...expression.arguments.map((argument) => unwrapExpression(argument as TSESTree.Expression)));
  }
  return answers.flatMap((answer) =>
    answer.type !== AST_NODE_TYPES.ObjectExpression
      ? []
      : answer.properties.flatMap((property) =>
          property.type === AST_NODE_TYPES.Property && !property.computed && property.value.type === AST_NODE_TYPES.Literal && property.value.value === true && CREATION_KEY.test(getPropertyName(property) ?? '')
            ? [property.value]
            : [],
        ),
  );
}

/** Whether the path that created the row does what only its creator may: a step that is not quiet, or an answer that it created the row. */
function takesCreatorSteps(after: readonly Statement[]): boolean {
  return after.some((item) => !isQuiet(item)) || creationMarkers(after).length > 0;
}

/** The statements after `statement` in its block. */
function followingStatements(statement: Statement): Statement[] {
  const parent = statement.parent;
  const body = parent?.type === AST_NODE_TYPES.BlockStatement || parent?.type === AST_NODE_TYPES.Program ? (parent.body as Statement[]) : parent?.type === AST_NODE_TYPES.SwitchCase ? parent.consequent : [];
  return body.slice(body.indexOf(statement) + 1);
}

/** The names a statement declares in its block: `const a = …`, `function f() {}`, `class C {}`. */
function declaredNames(statement: Statement): string[] {
  const names: string[] = [];
  if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
    for (const declarator of statement.declarations) walk(declarator.id, (node) => {
      if (node.type === AST_NODE_TYPES.Identifier) names.push(node.name);
    });
  } else if ((statement.type === AST_NODE_TYPES.FunctionDeclaration || statement.type === AST_NODE_TYPES.ClassDeclaration) && statement.id) {
    names.push(statement.id.name);
  }
  return names;
}

/** Every identifier in `scope` from `offset` on (property names too: a false match only keeps a site unrewritten). */
function namesUsedIn(scope: Node, offset: number): Set<string> {
  const names = new Set<string>();
  walk(scope, (node) => {
    if (node.type === AST_NODE_TYPES.Identifier && node.range[0] >= offset) names.add(node.name);
  });
  return names;
}

/** The ranges of template literals that span lines: re-indenting a line inside one changes the string. */
function templateRanges(statements: Statement[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const statement of statements) walk(statement, (node) => {
    if (node.type === AST_NODE_TYPES.TemplateLiteral && node.loc.start.line !== node.loc.end.line) ranges.push(node.range);
  });
  return ranges;
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
