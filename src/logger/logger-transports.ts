import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findProperty, getPropertyName, getStaticString, unwrapExpression } from '../core/ast';
import { getImportBinding, getRequiredModule } from '../core/module-source';

type Scope = TSESLint.Scope.Scope;

/** Where a value comes from: a module and the member path below its export (`winston.transports.File` → `winston`, `['transports', 'File']`). */
export interface ModulePath {
  module: string;
  path: string[];
}

const MAX_DEPTH = 8;

/**
 * Follows imports, `require`, destructuring and member access back to a module:
 * `import { transports } from 'winston'; transports.File` and `const { File } = require('winston').transports`
 * both give `{ module: 'winston', path: ['transports', 'File'] }`. Default and namespace imports are the module itself.
 */
export function getModulePath(node: TSESTree.Node, scope: Scope, depth = 0): ModulePath | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const expression = unwrapExpression(node);
  const required = getRequiredModule(expression);
  if (required !== undefined && expression.type !== AST_NODE_TYPES.MemberExpression) return { module: required, path: [] };
  if (expression.type === AST_NODE_TYPES.MemberExpression) {
    const name = getPropertyName(expression);
    const object = getModulePath(expression.object, scope, depth + 1);
    if (!object || name === undefined) return undefined;
    // `require('x').default` and `import x from 'x'` are the same module object for CJS packages.
    return name === 'default' && object.path.length === 0 ? object : { module: object.module, path: [...object.path, name] };
  }
  if (expression.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(scope, expression);
  if (!variable || variable.defs.length !== 1) return undefined;
  const definition = variable.defs[0];
  if (definition.type === 'ImportBinding') {
    const binding = getImportBinding(definition);
    return binding && { module: binding.module, path: binding.imported === 'default' || binding.imported === '*' ? [] : [binding.imported] };
  }
  if (definition.node.type !== AST_NODE_TYPES.VariableDeclarator || !definition.node.init) return undefined;
  const declarator = definition.node;
  const writes = variable.references.filter((reference) => reference.isWrite() && !reference.init);
  if (writes.length > 0) return undefined;
  const init = getModulePath(declarator.init!, scope, depth + 1);
  if (!init) return undefined;
  if (declarator.id.type === AST_NODE_TYPES.Identifier) return init;
  if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
  for (const property of declarator.id.properties) {
    if (property.type !== AST_NODE_TYPES.Property) continue;
    const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    if (value.type === AST_NODE_TYPES.Identifier && value.name === expression.name) {
      const key = getPropertyName(property);
      return key === undefined ? undefined : { module: init.module, path: [...init.path, key] };
    }
  }
  return undefined;
}

export type WinstonTransportKind = 'file' | 'daily-rotate-file' | 'console' | 'other';

/** What `new X(...)` constructs when X is a winston transport; undefined when it is not one we recognise. */
export function classifyWinstonTransport(node: TSESTree.NewExpression, scope: Scope): WinstonTransportKind | undefined {
  const source = getModulePath(node.callee, scope);
  if (!source) return undefined;
  if (source.module === 'winston-daily-rotate-file' && source.path.length === 0) return 'daily-rotate-file';
  if (source.module !== 'winston' || source.path.length !== 2 || source.path[0] !== 'transports') return undefined;
  switch (source.path[1]) {
    case 'File':
      return 'file';
    // winston-daily-rotate-file registers itself on `winston.transports` when imported.
    case 'DailyRotateFile':
      return 'daily-rotate-file';
    case 'Console':
      return 'console';
    default:
      return 'other';
  }
}

/** The object literal passed as a call's or constructor's first argument, if it is one. */
export function getOptionsObject(node: TSESTree.CallExpression | TSESTree.NewExpression): TSESTree.ObjectExpression | undefined {
  const first = node.arguments[0] && unwrapExpression(node.arguments[0]);
  return first?.type === AST_NODE_TYPES.ObjectExpression ? first : undefined;
}

/** The static string of an option (`{ filename: 'logs/error.log' }`). */
export function getStaticOption(object: TSESTree.ObjectExpression | undefined, name: string, scope: Scope): string | undefined {
  const property = object && findProperty(object, name);
  return property ? getStaticString(property.value, scope) : undefined;
}

const STANDARD_STREAM_PATHS = new Set(['/dev/stdout', '/dev/stderr', '/proc/self/fd/1', '/proc/self/fd/2']);

/**
 * Whether a pino destination writes to a file: a path string (not `/dev/stdout`), a template or a
 * `path.join(...)`. File descriptors `1`/`2`, `process.stdout.fd` and what we cannot see into are not files.
 */
export function isFileDestination(node: TSESTree.Node, scope: Scope): boolean {
  const expression = unwrapExpression(node);
  if (expression.type === AST_NODE_TYPES.ObjectExpression) {
    const dest = findProperty(expression, 'dest');
    return dest !== undefined && isFileDestination(dest.value, scope);
  }
  const value = getStaticString(expression, scope);
  if (value !== undefined) return !STANDARD_STREAM_PATHS.has(value);
  if (expression.type === AST_NODE_TYPES.TemplateLiteral) return true;
  if (expression.type === AST_NODE_TYPES.CallExpression) return isPathCall(expression, scope);
  return false;
}

/** `path.join(...)`, `path.resolve(...)`, and `join`/`resolve` destructured or imported from `node:path`. */
function isPathCall(call: TSESTree.CallExpression, scope: Scope): boolean {
  const source = getModulePath(call.callee, scope);
  if (source?.module.replace(/^node:/, '') !== 'path') return false;
  const method = source.path.at(-1);
  return (method === 'join' || method === 'resolve') && source.path.length <= 2;
}

/** `fs.createWriteStream(...)`, `createWriteStream` from `node:fs`, also `fs.promises`-free forms like `require('fs').createWriteStream`. */
export function isFileWriteStream(node: TSESTree.Node, scope: Scope): boolean {
  const expression = unwrapExpression(node);
  if (expression.type !== AST_NODE_TYPES.CallExpression) return false;
  const source = getModulePath(expression.callee, scope);
  return source?.module.replace(/^node:/, '') === 'fs' && source.path.length === 1 && source.path[0] === 'createWriteStream';
}

/** `pino.multistream(...)` or `multistream` imported from pino. */
export function isPinoMultistreamCall(node: TSESTree.CallExpression, scope: Scope): boolean {
  const source = getModulePath(node.callee, scope);
  return source?.module === 'pino' && source.path.length === 1 && source.path[0] === 'multistream';
}

/** `pino.destination(...)` or a `destination` imported from pino. */
export function isPinoDestinationCall(node: TSESTree.CallExpression, scope: Scope): boolean {
  const source = getModulePath(node.callee, scope);
  return source?.module === 'pino' && source.path.length === 1 && source.path[0] === 'destination';
}

/** `pino(...)`, `pino.pino(...)`, `import { pino } from 'pino'`. */
export function isPinoFactoryCall(node: TSESTree.CallExpression, scope: Scope): boolean {
  const source = getModulePath(node.callee, scope);
  return source?.module === 'pino' && (source.path.length === 0 || (source.path.length === 1 && source.path[0] === 'pino'));
}

/** A pino transport target that writes a file: `{ target: 'pino-roll', ... }` or `{ target: 'pino/file', options: { destination: '<path>' } }`. */
export function isPinoFileTarget(object: TSESTree.ObjectExpression, scope: Scope): boolean {
  const target = getStaticOption(object, 'target', scope);
  if (target === 'pino-roll') return true;
  if (target !== 'pino/file') return false;
  const options = findProperty(object, 'options');
  const optionsValue = options && unwrapExpression(options.value);
  if (optionsValue?.type !== AST_NODE_TYPES.ObjectExpression) return false;
  const destination = findProperty(optionsValue, 'destination');
  return destination !== undefined && isFileDestination(destination.value, scope);
}

const BUNYAN_FILE_TYPES = new Set(['file', 'rotating-file']);

/** A bunyan stream definition that writes a file: `{ path: '...' }` or `{ type: 'rotating-file', ... }`. */
export function isBunyanFileStream(object: TSESTree.ObjectExpression, scope: Scope): boolean {
  const type = getStaticOption(object, 'type', scope);
  if (type !== undefined) return BUNYAN_FILE_TYPES.has(type);
  return findProperty(object, 'path') !== undefined && findProperty(object, 'stream') === undefined;
}

const LOG4JS_FILE_TYPES = new Set(['file', 'dateFile', 'fileSync', 'multiFile']);

/** A log4js appender that writes a file (`{ type: 'file' | 'dateFile' | 'fileSync' | 'multiFile' }`). */
export function isLog4jsFileAppender(object: TSESTree.ObjectExpression, scope: Scope): boolean {
  const type = getStaticOption(object, 'type', scope);
  return type !== undefined && LOG4JS_FILE_TYPES.has(type);
}

/** Whether `node` sits (through arrays and object values) inside an object property named `name`. */
export function isInsideProperty(node: TSESTree.Node, name: string): boolean {
  for (let current: TSESTree.Node | undefined = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.Property && getPropertyName(current) === name) return true;
    if (
      current.type !== AST_NODE_TYPES.ArrayExpression &&
      current.type !== AST_NODE_TYPES.ObjectExpression &&
      current.type !== AST_NODE_TYPES.Property &&
      current.type !== AST_NODE_TYPES.ConditionalExpression &&
      current.type !== AST_NODE_TYPES.SpreadElement &&
      current.type !== AST_NODE_TYPES.LogicalExpression
    ) {
      return false;
    }
  }
  return false;
}
