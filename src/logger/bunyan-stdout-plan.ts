import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findProperty, getPropertyName, unwrapExpression } from '../core/ast';
import { editsOverlap, quote, removeFromList, removeStatement, removeUnusedBindings, sortEdits, type LoggerEdit } from './logger-rewrite';
import { getModulePath, getStaticOption, isBunyanFileStream } from './logger-transports';
import { blocked } from './rewrite-blockers';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** bunyan's levels, most verbose first. */
const BUNYAN_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** `{ stream: process.stdout }` / `process.stderr`: bunyan writes one JSON object per line there. */
function isStandardStreamEntry(node: TSESTree.Node | null, sourceCode: SourceCode): boolean {
  if (node?.type !== AST_NODE_TYPES.ObjectExpression) return false;
  const stream = findProperty(node, 'stream');
  const type = getStaticOption(node, 'type', sourceCode.getScope(node));
  return stream !== undefined && (type === undefined || type === 'stream') && /^process\.std(?:out|err)$/.test(sourceCode.getText(stream.value).replace(/\s+/g, ''));
}

/** A stream's level as a rank in BUNYAN_LEVELS; undefined without one (it takes the logger's), -1 when not a known name. */
function levelRank(entry: TSESTree.ObjectExpression, sourceCode: SourceCode): number | undefined {
  const level = findProperty(entry, 'level');
  if (!level) return undefined;
  const name = getStaticOption(entry, 'level', sourceCode.getScope(entry));
  return name === undefined ? -1 : BUNYAN_LEVELS.indexOf(name);
}

/**
 * `{ stream: process.stdout }` for the file streams it replaces: the only one keeps its `level` as written,
 * several give the most verbose level they all name (none: the logger's level).
 */
function stdoutStream(sourceCode: SourceCode, files: readonly TSESTree.ObjectExpression[]): string {
  let level = '';
  if (files.length === 1) {
    const property = findProperty(files[0], 'level');
    level = property ? `level: ${sourceCode.getText(property.value)}, ` : '';
  } else {
    const ranks = files.map((file) => levelRank(file, sourceCode));
    if (ranks.every((rank) => rank !== undefined && rank >= 0)) level = `level: ${quote(sourceCode, BUNYAN_LEVELS[Math.min(...(ranks as number[]))])}, `;
  }
  return `{ ${level}stream: process.stdout }`;
}

/** Whether the kept standard streams log at least as much as the file streams did. */
function standardStreamsCover(sourceCode: SourceCode, kept: readonly TSESTree.ObjectExpression[], files: readonly TSESTree.ObjectExpression[]): boolean {
  const fileRanks = files.map((file) => levelRank(file, sourceCode));
  return kept.some((stream) => {
    const rank = levelRank(stream, sourceCode);
    if (rank === undefined) return true;
    return rank >= 0 && fileRanks.every((fileRank) => fileRank !== undefined && fileRank >= rank);
  });
}

/**
 * `streams: [{ stream: process.stdout }, { type: 'rotating-file', path }]` → `streams: [{ stream: process.stdout }]`;
 * with no standard stream left the first file stream becomes `{ stream: process.stdout }` (bunyan's output is
 * already JSON lines).
 */
function planStreamsList(sourceCode: SourceCode, list: TSESTree.ArrayExpression): LoggerEdit[] | undefined {
  const scope = sourceCode.getScope(list);
  const entries = list.elements.filter((element): element is TSESTree.ObjectExpression => element?.type === AST_NODE_TYPES.ObjectExpression);
  if (entries.length !== list.elements.length) {
    return blocked('the `streams` list has entries that are not object literals (a spread, a variable, a call), which may be standard streams or files: write the list out, or replace the file stream with `{ stream: process.stdout }` by hand');
  }
  const files = entries.filter((entry) => isBunyanFileStream(entry, scope));
  const standard = entries.filter((entry) => isStandardStreamEntry(entry, sourceCode));
  if (standard.length > 0 && standardStreamsCover(sourceCode, standard, files)) return removeFromList(sourceCode, list.elements, new Set(files));
  return [{ range: files[0].range, text: stdoutStream(sourceCode, files) }, ...removeFromList(sourceCode, list.elements, new Set(files.slice(1)))];
}

/** The `bunyan.createLogger({...})` options a variable is initialised with, in this file. */
function loggerOptions(sourceCode: SourceCode, receiver: TSESTree.Node): TSESTree.ObjectExpression | undefined {
  if (receiver.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(receiver), receiver);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition?.node.type !== AST_NODE_TYPES.VariableDeclarator || !definition.node.init) return undefined;
  const init = unwrapExpression(definition.node.init);
  if (init.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const source = getModulePath(init.callee, sourceCode.getScope(init));
  if (source?.module !== 'bunyan' || source.path.join('.') !== 'createLogger') return undefined;
  const options = init.arguments[0] && unwrapExpression(init.arguments[0]);
  return options?.type === AST_NODE_TYPES.ObjectExpression ? options : undefined;
}

/** Whether a logger built with these options already writes stdout: no `streams`/`stream` (bunyan's default), or a standard stream listed. */
function writesStandardStream(sourceCode: SourceCode, options: TSESTree.ObjectExpression): boolean {
  const streams = findProperty(options, 'streams');
  const stream = findProperty(options, 'stream');
  if (!streams && !stream) return true;
  if (stream) return /^process\.std(?:out|err)$/.test(sourceCode.getText(stream.value).replace(/\s+/g, ''));
  const list = unwrapExpression(streams!.value);
  return list.type === AST_NODE_TYPES.ArrayExpression && list.elements.some((entry) => isStandardStreamEntry(entry, sourceCode));
}

/**
 * `log.addStream({ path: 'logs/api.log' })`: the statement goes when the logger already writes stdout (no
 * `streams` at all is bunyan's default, stdout); otherwise its options become `{ stream: process.stdout }`.
 */
function planAddStream(sourceCode: SourceCode, entry: TSESTree.ObjectExpression, call: TSESTree.CallExpression): LoggerEdit[] | undefined {
  const callee = call.callee as TSESTree.MemberExpression;
  const options = loggerOptions(sourceCode, callee.object);
  if (options && writesStandardStream(sourceCode, options)) {
    if (call.parent.type === AST_NODE_TYPES.ExpressionStatement) return [removeStatement(sourceCode, call.parent)];
    return blocked('the `addStream(...)` call is part of a larger expression, not a statement of its own: remove it by hand (the logger already writes stdout)');
  }
  return [{ range: entry.range, text: stdoutStream(sourceCode, [entry]) }];
}

/** The rewrite of a bunyan file stream (in `streams: [...]` or `addStream(...)`) to stdout; undefined for other shapes. */
export function planBunyanStream(sourceCode: SourceCode, entry: TSESTree.ObjectExpression): LoggerEdit[] | undefined {
  const parent = entry.parent;
  let edits: LoggerEdit[] | undefined;
  if (parent.type === AST_NODE_TYPES.ArrayExpression && parent.parent.type === AST_NODE_TYPES.Property && getPropertyName(parent.parent) === 'streams') {
    edits = planStreamsList(sourceCode, parent);
  } else if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.length === 1 && parent.callee.type === AST_NODE_TYPES.MemberExpression) {
    edits = planAddStream(sourceCode, entry, parent);
  }
  if (!edits) {
    return blocked('the file stream is neither an entry of a `streams: [...]` list nor the one argument of `addStream(...)`: replace it with `{ stream: process.stdout }` by hand');
  }
  edits.push(...removeUnusedBindings(sourceCode, edits));
  if (editsOverlap(edits)) return blocked('the edits the stream lists need overlap one another: move each file stream into its own list, then run the codemod again');
  return sortEdits(edits);
}
