import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findProperty, getPropertyName, getStaticString, unwrapExpression } from '../core/ast';
import { editsOverlap, quote, removeFromList, removeUnusedBindings, sortEdits, type LoggerEdit } from './logger-rewrite';
import { getStaticOption, isLog4jsFileAppender } from './logger-transports';
import { blocked } from './rewrite-blockers';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** Appenders that write the process's own standard streams (`console` is `console.log`: stdout). */
const STANDARD_TYPES = new Set(['stdout', 'stderr', 'console']);

/**
 * The appender the rewrite adds. log4js's `stdout` appender defaults to the `colored` layout: every line
 * then starts with ANSI escapes (`\x1b[32m[…] [INFO]`) that a platform's log viewer shows as text and its
 * search does not match. `basic` is the same line without them; JSON needs `log4js.addLayout` (see the docs).
 */
function stdoutAppender(sourceCode: SourceCode): string {
  return `{ type: ${quote(sourceCode, 'stdout')}, layout: { type: ${quote(sourceCode, 'basic')} } }`;
}

interface Appender {
  property: TSESTree.Property;
  name: string;
  type: string | undefined;
  /** `logLevelFilter`, `categoryFilter`, `noLogFilter`: the appender it forwards to. */
  forwardsTo: string | undefined;
}

function readAppenders(appenders: TSESTree.ObjectExpression, sourceCode: SourceCode): Appender[] | undefined {
  const result: Appender[] = [];
  for (const property of appenders.properties) {
    if (property.type !== AST_NODE_TYPES.Property) return undefined;
    const name = getPropertyName(property);
    const value = unwrapExpression(property.value);
    if (name === undefined || value.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
    const scope = sourceCode.getScope(value);
    result.push({ property, name, type: getStaticOption(value, 'type', scope), forwardsTo: getStaticOption(value, 'appender', scope) });
  }
  return result;
}

/** Each category's `appenders: ['file', 'out']` list; undefined when one is not a list of names. */
function readCategories(categories: TSESTree.ObjectExpression): { list: TSESTree.ArrayExpression; names: string[] }[] | undefined {
  const result: { list: TSESTree.ArrayExpression; names: string[] }[] = [];
  for (const property of categories.properties) {
    if (property.type !== AST_NODE_TYPES.Property) return undefined;
    const category = unwrapExpression(property.value);
    if (category.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
    const appenders = findProperty(category, 'appenders');
    const list = appenders && unwrapExpression(appenders.value);
    if (list?.type !== AST_NODE_TYPES.ArrayExpression) return undefined;
    const names = list.elements.map((element) => (element?.type === AST_NODE_TYPES.Literal && typeof element.value === 'string' ? element.value : undefined));
    if (names.some((name) => name === undefined)) return undefined;
    result.push({ list, names: names as string[] });
  }
  return result;
}

/**
 * `{ appenders: { file: { type: 'file', … }, out: { type: 'stdout' } }, categories: { default: { appenders: ['file', 'out'] } } }`
 * → the file appenders (and filters that forward only to them) go, and each category keeps its other
 * appenders; a category left without a standard stream gets the `stdout` appender (the existing one, or
 * `out: { type: 'stdout', layout: { type: 'basic' } }` in the first file appender's place). Undefined for
 * shapes it cannot see whole (computed names, categories built elsewhere, the log4js 1 array form).
 */
export function planLog4jsAppenders(sourceCode: SourceCode, appender: TSESTree.ObjectExpression): LoggerEdit[] | undefined {
  const appendersObject = appender.parent.type === AST_NODE_TYPES.Property ? appender.parent.parent : undefined;
  const appendersProperty = appendersObject?.parent;
  const configuration = appendersProperty?.parent;
  if (
    appendersObject?.type !== AST_NODE_TYPES.ObjectExpression ||
    appendersProperty?.type !== AST_NODE_TYPES.Property ||
    getPropertyName(appendersProperty) !== 'appenders' ||
    configuration?.type !== AST_NODE_TYPES.ObjectExpression
  ) {
    return blocked("the file appender is not a named entry of an `appenders: { ... }` object literal (log4js 1's appender array, or appenders built elsewhere): configure `appenders: { out: { type: 'stdout' } }` by hand");
  }
  const categoriesProperty = findProperty(configuration, 'categories');
  const categoriesObject = categoriesProperty && unwrapExpression(categoriesProperty.value);
  if (categoriesObject?.type !== AST_NODE_TYPES.ObjectExpression) {
    return blocked('the configuration has no `categories: { ... }` object literal next to its appenders (built elsewhere, or missing), so which categories use the file appender is not visible: point them at a `stdout` appender by hand');
  }
  const appenders = readAppenders(appendersObject, sourceCode);
  if (!appenders) return blocked('some appenders have computed names or are not object literals (a spread, a variable): write them out, or replace the file appender with a `stdout` one by hand');
  const categories = readCategories(categoriesObject);
  if (!categories) return blocked("some categories are not `{ appenders: ['name', ...] }` object literals with static names: write them out, or point them at a `stdout` appender by hand");

  const removed = new Set(
    appenders.filter(({ property }) => isLog4jsFileAppender(unwrapExpression(property.value) as TSESTree.ObjectExpression, sourceCode.getScope(property))).map(({ name }) => name),
  );
  // A `logLevelFilter` in front of a removed file appender would make log4js throw at configure.
  for (let grew = true; grew; ) {
    grew = false;
    for (const { name, forwardsTo } of appenders) {
      if (forwardsTo !== undefined && removed.has(forwardsTo) && !removed.has(name)) {
        removed.add(name);
        grew = true;
      }
    }
  }
  const kept = appenders.filter(({ name }) => !removed.has(name));
  const existingStandard = kept.find(({ type }) => type !== undefined && STANDARD_TYPES.has(type));
  const standardNames = new Set(kept.filter(({ type }) => type !== undefined && STANDARD_TYPES.has(type)).map(({ name }) => name));
  const orphaned = categories.filter(({ names }) => names.some((name) => removed.has(name)) && !names.some((name) => standardNames.has(name)));

  const edits: LoggerEdit[] = [];
  let stdoutName = existingStandard?.name;
  let replaced: TSESTree.Property | undefined;
  if (!stdoutName && (orphaned.length > 0 || kept.length === 0)) {
    stdoutName = ['out', 'stdout'].find((candidate) => !kept.some(({ name }) => name === candidate));
    if (!stdoutName) return blocked('the appenders `out` and `stdout` are both taken by other appenders, so there is no name for the stdout appender: rename one, then run the codemod again');
    replaced = appenders.find(({ name }) => removed.has(name))!.property;
    edits.push({ range: replaced.range, text: `${stdoutName}: ${stdoutAppender(sourceCode)}` });
  }
  const goneProperties = new Set<TSESTree.Node>(appenders.filter(({ name, property }) => removed.has(name) && property !== replaced).map(({ property }) => property));
  edits.push(...removeFromList(sourceCode, appendersObject.properties, goneProperties));

  for (const category of categories) {
    const elements = category.list.elements as TSESTree.Literal[];
    const gone = elements.filter((element) => removed.has(getStaticString(element, sourceCode.getScope(element)) ?? ''));
    if (gone.length === 0) continue;
    if (orphaned.includes(category)) {
      edits.push({ range: gone[0].range, text: quote(sourceCode, stdoutName!) });
      edits.push(...removeFromList(sourceCode, elements, new Set(gone.slice(1))));
    } else {
      edits.push(...removeFromList(sourceCode, elements, new Set(gone)));
    }
  }
  edits.push(...removeUnusedBindings(sourceCode, edits));
  if (editsOverlap(edits)) return blocked('the edits the appenders and categories need overlap one another: rewrite them to a `stdout` appender by hand');
  return sortEdits(edits);
}
