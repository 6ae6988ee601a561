import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findProperty, getPropertyName, unwrapExpression } from '../core/ast';
import {
  addProperty,
  asOperand,
  editsOverlap,
  indentOfLine,
  quote,
  reindent,
  removeFromList,
  removeStatement,
  removeUnusedBindings,
  sliceWithEdits,
  sortEdits,
  type LoggerEdit,
} from './logger-rewrite';
import { getModulePath, getOptionsObject, getStaticOption, isFileDestination, isPinoFactoryCall, isPinoFileTarget } from './logger-transports';
import { conditionFact } from './node-env-guard';
import { blocked } from './rewrite-blockers';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** winston's npm levels, most severe first: a replacement keeps the most verbose level the file transports had. */
const NPM_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

/** How this file can name a winston export: `winston.transports.Console`, `transports.Console`, `winston.format.json()`. */
function winstonReference(sourceCode: SourceCode, member: 'transports' | 'format'): string | undefined {
  const scope = sourceCode.getScope(sourceCode.ast);
  const moduleScope = scope.childScopes.find((child) => child.type === 'module') ?? scope;
  for (const variable of moduleScope.variables) {
    const identifier = variable.identifiers[0];
    if (!identifier) continue;
    const source = getModulePath(identifier, moduleScope);
    if (source?.module !== 'winston') continue;
    if (source.path.length === 0) return `${identifier.name}.${member}`;
    if (source.path.length === 1 && source.path[0] === member) return identifier.name;
  }
  return undefined;
}

/** `winston.transports.File` → `winston.transports.Console`, keeping how the file spells the transports object. */
function consoleConstructor(sourceCode: SourceCode, transport: TSESTree.NewExpression): string | undefined {
  const callee = unwrapExpression(transport.callee);
  if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed) {
    const object = getModulePath(callee.object, sourceCode.getScope(transport));
    if (object?.module === 'winston' && object.path.length === 1 && object.path[0] === 'transports') {
      return `${sourceCode.getText(callee.object)}.Console`;
    }
  }
  const transports = winstonReference(sourceCode, 'transports');
  return transports && `${transports}.Console`;
}

/** One Console transport in place of the first file transport, at the most verbose level they had (errors to stderr). */
function consoleReplacement(sourceCode: SourceCode, files: readonly TSESTree.NewExpression[], site: SiteOf): LoggerEdit | undefined {
  const constructor = consoleConstructor(sourceCode, files[0]);
  if (!constructor) {
    return blocked(
      "this file has no binding of winston or of its `transports` to build the Console transport that replaces the file output: import winston and put `new winston.transports.Console({ stderrLevels: ['error'] })` in its place",
    );
  }
  const levels = files.map((file) => getStaticOption(getOptionsObject(file), 'level', sourceCode.getScope(file)));
  const ranks = levels.map((level) => (level === undefined ? -1 : NPM_LEVELS.indexOf(level)));
  const level = ranks.every((rank) => rank >= 0) ? NPM_LEVELS[Math.max(...ranks)] : undefined;
  const levelText = level ? `level: ${quote(sourceCode, level)}, ` : '';
  return { range: site(files[0]).range, text: `new ${constructor}({ ${levelText}stderrLevels: [${quote(sourceCode, 'error')}] })` };
}

/**
 * `if (process.env.NODE_ENV !== 'production') { logger.add(new transports.Console({ format: dev })) }`
 * → `logger.add(new transports.Console({ format: <same test> ? dev : winston.format.json(), stderrLevels: ['error'] }))`:
 * development keeps its output, production gets JSON on stdout and errors on stderr.
 */
function unguardConsole(sourceCode: SourceCode, console: TSESTree.NewExpression): LoggerEdit[] | undefined {
  let statement: TSESTree.Node = console;
  while (statement.parent && statement.type !== AST_NODE_TYPES.ExpressionStatement) {
    if (statement.parent.type === AST_NODE_TYPES.BlockStatement || statement.parent.type === AST_NODE_TYPES.Program) return undefined;
    statement = statement.parent;
  }
  const holder = statement.parent;
  const ifStatement =
    holder?.type === AST_NODE_TYPES.BlockStatement && holder.body.length === 1 ? holder.parent : holder;
  if (ifStatement?.type !== AST_NODE_TYPES.IfStatement || ifStatement.alternate) return undefined;
  if (ifStatement.consequent !== holder && ifStatement.consequent !== statement) return undefined;
  if (ifStatement.parent.type !== AST_NODE_TYPES.Program && ifStatement.parent.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const scope = sourceCode.getScope(ifStatement);
  if (conditionFact(ifStatement.test, scope) !== 'non-production') return undefined;

  const inner: LoggerEdit[] = [];
  const errorLevels = `stderrLevels: [${quote(sourceCode, 'error')}]`;
  const options = console.arguments[0];
  if (!options) {
    inner.push({ range: [console.callee.range[1], console.range[1]], text: `({ ${errorLevels} })` });
  } else {
    const object = unwrapExpression(options);
    if (object.type !== AST_NODE_TYPES.ObjectExpression || object.properties.some((property) => property.type !== AST_NODE_TYPES.Property)) {
      return undefined;
    }
    const format = findProperty(object, 'format');
    if (format) {
      const json = winstonReference(sourceCode, 'format');
      if (!json) return undefined;
      const key = format.computed ? `[${sourceCode.getText(format.key)}]` : sourceCode.getText(format.key);
      const test = asOperand(ifStatement.test, sourceCode.getText(ifStatement.test));
      const value = asOperand(format.value, sourceCode.getText(format.value));
      inner.push({ range: format.range, text: `${key}: ${test} ? ${value} : ${json}.json()` });
    }
    if (!findProperty(object, 'stderrLevels')) inner.push(addProperty(sourceCode, object, errorLevels));
  }

  let start = statement.range[0];
  let end = statement.range[1];
  if (holder?.type === AST_NODE_TYPES.BlockStatement) {
    const open = sourceCode.getFirstToken(holder)!;
    const close = sourceCode.getLastToken(holder)!;
    start = sourceCode.getTokenAfter(open, { includeComments: true })!.range[0];
    end = sourceCode.getTokenBefore(close, { includeComments: true })!.range[1];
  }
  const text = sliceWithEdits(sourceCode.text, start, end, inner);
  const from = indentOfLine(sourceCode, sourceCode.getLocFromIndex(start).line);
  const to = indentOfLine(sourceCode, ifStatement.loc.start.line);
  return [{ range: ifStatement.range, text: reindent(text, from, to) }];
}

/** The longest line a rewrite writes before it breaks an expression over several lines. */
const MAX_LINE = 100;

/**
 * `new Console({ format: dev })`, guarded by `test`, printed unguarded at `indent`:
 * `new Console({ format: test ? dev : format.json(), stderrLevels: ['error'] })`, on one line when it fits,
 * else one option per line and the format's ternary broken as Prettier breaks it.
 */
function unguardedConsoleText(
  sourceCode: SourceCode,
  console: TSESTree.NewExpression,
  test: { text: string; node: TSESTree.Node; developmentWhen: boolean },
  indent: string,
  column: number,
): string | undefined {
  const options = console.arguments[0] && unwrapExpression(console.arguments[0]);
  if (console.arguments.length > 1) return undefined;
  if (options && (options.type !== AST_NODE_TYPES.ObjectExpression || options.properties.some((property) => property.type !== AST_NODE_TYPES.Property))) {
    return undefined;
  }
  const inner = indent + '  ';
  const properties: { key: string; value: string; ternary?: [string, string, string] }[] = [];
  for (const property of (options?.properties ?? []) as TSESTree.Property[]) {
    const key = property.computed ? `[${sourceCode.getText(property.key)}]` : sourceCode.getText(property.key);
    const valueIndent = indentOfLine(sourceCode, property.loc.start.line);
    const value = reindent(sourceCode.getText(property.value), valueIndent, inner);
    if (getPropertyName(property) === 'format') {
      const json = winstonReference(sourceCode, 'format');
      if (!json) return undefined;
      const testText = asOperand(test.node, test.text);
      const development = asOperand(property.value, value);
      const [whenTrue, whenFalse] = test.developmentWhen ? [development, `${json}.json()`] : [`${json}.json()`, development];
      properties.push({ key, value: `${testText} ? ${whenTrue} : ${whenFalse}`, ternary: [testText, whenTrue, whenFalse] });
    } else if (property.shorthand) {
      properties.push({ key, value: key });
    } else {
      properties.push({ key, value });
    }
  }
  if (!options || !findProperty(options, 'stderrLevels')) properties.push({ key: 'stderrLevels', value: `[${quote(sourceCode, 'error')}]` });
  const callee = sourceCode.getText(console.callee);
  const print = (property: (typeof properties)[number]) => (property.key === property.value ? property.key : `${property.key}: ${property.value}`);
  const oneLine = `new ${callee}({ ${properties.map(print).join(', ')} })`;
  if (!oneLine.includes('\n') && column + oneLine.length + 2 <= MAX_LINE) return oneLine;
  const lines = properties.map((property) => {
    const text = `${inner}${print(property)},`;
    if (!property.ternary || (!text.includes('\n') && text.length <= MAX_LINE)) return text;
    const [testText, whenTrue, whenFalse] = property.ternary;
    const branch = inner + '    ';
    return `${inner}${property.key}:\n${inner}  ${testText}\n${branch}? ${reindent(whenTrue, inner, branch)}\n${branch}: ${reindent(whenFalse, inner, branch)},`;
  });
  return `new ${callee}({\n${lines.join('\n')}\n${indent}})`;
}

/**
 * `createLogger({ transports: [new File(…), new File(…)] })` then `if (dev) logger.add(new Console(…))`
 * → `createLogger({ transports: [new Console({ format: dev ? … : json() … })] })` and no `if`; also
 * `transports: [new File(…), ...(dev ? [new Console(…)] : [])]` (nest-winston's `forRoot`). Undefined
 * for any other shape (the in-place rewrite then applies).
 */
function moveConsoleIntoTransports(
  sourceCode: SourceCode,
  files: readonly TSESTree.Node[],
  console: TSESTree.NewExpression,
): LoggerEdit[] | undefined {
  const list = files[0]?.parent;
  if (list?.type !== AST_NODE_TYPES.ArrayExpression || files.some((file) => file.parent !== list)) return undefined;
  if (list.parent.type !== AST_NODE_TYPES.Property || getPropertyName(list.parent) !== 'transports') return undefined;
  const elements = list.elements;
  if (elements.some((element) => element === null)) return undefined;
  const scope = sourceCode.getScope(list);
  const multiline = elements.length > 0 && elements[0]!.loc.start.line > list.loc.start.line;
  const elementIndent = multiline ? indentOfLine(sourceCode, elements[0]!.loc.start.line) : indentOfLine(sourceCode, list.loc.start.line);

  // `...(dev ? [new Console()] : [])` in the same list.
  const spread = spreadGuard(console);
  if (spread && spread.element.parent === list) {
    const others = elements.filter((element) => element !== spread.element && !files.includes(element!));
    if (others.length > 0) return undefined;
    if (conditionFact(spread.test, scope, !spread.developmentWhen) !== 'non-production') return undefined;
    const column = multiline ? elementIndent.length : sourceCode.getLocFromIndex(effectiveListStart(sourceCode, list)).column;
    const text = unguardedConsoleText(sourceCode, console, { text: sourceCode.getText(spread.test), node: spread.test, developmentWhen: spread.developmentWhen }, elementIndent, column);
    if (!text) return undefined;
    return finishMove(sourceCode, list, text, []);
  }

  // `if (dev) logger.add(new Console())` after the logger's creation.
  const add = console.parent;
  if (add.type !== AST_NODE_TYPES.CallExpression || add.arguments[0] !== console || add.parent.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  if (elements.length !== files.length) return undefined;
  const statement = add.parent;
  const holder = statement.parent;
  const ifStatement = holder.type === AST_NODE_TYPES.BlockStatement && holder.body.length === 1 ? holder.parent : holder;
  if (ifStatement?.type !== AST_NODE_TYPES.IfStatement || ifStatement.alternate) return undefined;
  if (ifStatement.consequent !== holder && ifStatement.consequent !== statement) return undefined;
  if (ifStatement.range[0] < list.range[1]) return undefined;
  if (conditionFact(ifStatement.test, sourceCode.getScope(ifStatement)) !== 'non-production') return undefined;
  const column = multiline ? elementIndent.length : sourceCode.getLocFromIndex(list.range[0]).column + 1;
  const text = unguardedConsoleText(sourceCode, console, { text: sourceCode.getText(ifStatement.test), node: ifStatement.test, developmentWhen: true }, elementIndent, column);
  if (!text) return undefined;
  // The comment above the `if` says what the Console is for: it moves along with it.
  const comments = sourceCode.getCommentsBefore(ifStatement).filter((comment) => comment.loc.start.line >= ifStatement.loc.start.line - 1 && comment.loc.start.line === comment.loc.end.line);
  const carried = comments.length === 1 && comments[0].loc.end.line === ifStatement.loc.start.line - 1 ? comments : [];
  const removedRange: TSESTree.Node = { range: [carried[0]?.range[0] ?? ifStatement.range[0], ifStatement.range[1]] } as TSESTree.Node;
  return finishMove(sourceCode, list, text, [removeStatement(sourceCode, removedRange)], multiline ? carried.map((comment) => sourceCode.getText(comment)) : []);
}

function effectiveListStart(sourceCode: SourceCode, list: TSESTree.ArrayExpression): number {
  return sourceCode.getFirstToken(list)!.range[1];
}

/** The list's contents become `text` (a multi-line list keeps one element per line and its trailing comma). */
function finishMove(sourceCode: SourceCode, list: TSESTree.ArrayExpression, text: string, edits: LoggerEdit[], comments: string[] = []): LoggerEdit[] {
  const open = sourceCode.getFirstToken(list)!;
  const close = sourceCode.getLastToken(list)!;
  const multiline = list.elements.length > 0 && list.elements[0]!.loc.start.line > list.loc.start.line;
  if (multiline) {
    const indent = indentOfLine(sourceCode, list.elements[0]!.loc.start.line);
    const lead = comments.map((comment) => `${indent}${comment}\n`).join('');
    // The list keeps its own trailing-comma style.
    const comma = sourceCode.getTokenBefore(close)?.value === ',' ? ',' : '';
    edits.push({ range: [open.range[1], close.range[0]], text: `\n${lead}${indent}${text}${comma}\n${indentOfLine(sourceCode, close.loc.start.line)}` });
  } else if (text.includes('\n')) {
    const indent = indentOfLine(sourceCode, list.loc.start.line);
    edits.push({ range: [open.range[1], close.range[0]], text: `\n${indent}  ${reindent(text, indent, indent + '  ')},\n${indent}` });
  } else {
    edits.push({ range: [open.range[1], close.range[0]], text });
  }
  edits.push(...removeUnusedBindings(sourceCode, edits));
  return edits;
}

/** `...(test ? [console] : [])`, `...(test ? [] : [console])`, `...(test && [console])`: the spread and its test. */
function spreadGuard(console: TSESTree.NewExpression): { element: TSESTree.SpreadElement; test: TSESTree.Node; developmentWhen: boolean } | undefined {
  const inner = console.parent;
  if (inner.type !== AST_NODE_TYPES.ArrayExpression || inner.elements.length !== 1) return undefined;
  const condition = inner.parent;
  const element = condition?.parent;
  if (element?.type !== AST_NODE_TYPES.SpreadElement) return undefined;
  if (condition.type === AST_NODE_TYPES.ConditionalExpression) {
    const other = condition.consequent === inner ? condition.alternate : condition.consequent;
    if (other.type !== AST_NODE_TYPES.ArrayExpression || other.elements.length > 0) return undefined;
    return { element, test: condition.test, developmentWhen: condition.consequent === inner };
  }
  if (condition.type === AST_NODE_TYPES.LogicalExpression && condition.operator === '&&' && condition.right === inner) {
    return { element, test: condition.left, developmentWhen: true };
  }
  return undefined;
}

/** The `test ? [...] : [...]` that picks the list a transport is in, if one does. */
function choosingConditional(transport: TSESTree.Node): TSESTree.ConditionalExpression | undefined {
  for (let node: TSESTree.Node = transport; node.parent; node = node.parent) {
    const parent: TSESTree.Node = node.parent;
    if (parent.type === AST_NODE_TYPES.ConditionalExpression && parent.test !== node) return parent;
    if (parent.type !== AST_NODE_TYPES.ArrayExpression && parent.type !== AST_NODE_TYPES.SpreadElement && parent.type !== AST_NODE_TYPES.LogicalExpression) return undefined;
  }
  return undefined;
}

/** `if (isProd) { logger.add(new File(...)) }` goes whole when the call was all it did. */
function enclosingGuardOnly(statement: TSESTree.ExpressionStatement): TSESTree.Node {
  const holder = statement.parent;
  const candidate = holder.type === AST_NODE_TYPES.BlockStatement && holder.body.length === 1 ? holder.parent : holder;
  if (candidate?.type !== AST_NODE_TYPES.IfStatement || candidate.alternate) return statement;
  if (candidate.consequent !== statement && candidate.consequent !== holder) return statement;
  return candidate.parent.type === AST_NODE_TYPES.Program || candidate.parent.type === AST_NODE_TYPES.BlockStatement ? candidate : statement;
}

/** `import 'winston-daily-rotate-file'` / `require('winston-daily-rotate-file')` statements, kept only while something still uses it. */
function dailyRotateSideEffectImports(sourceCode: SourceCode): TSESTree.Node[] {
  return sourceCode.ast.body.filter((statement) => {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
      return statement.source.value === 'winston-daily-rotate-file' && statement.specifiers.length === 0;
    }
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
    const call = statement.expression;
    return (
      call.type === AST_NODE_TYPES.CallExpression &&
      call.callee.type === AST_NODE_TYPES.Identifier &&
      call.callee.name === 'require' &&
      call.arguments[0]?.type === AST_NODE_TYPES.Literal &&
      call.arguments[0].value === 'winston-daily-rotate-file'
    );
  });
}

export interface WinstonTransports {
  /** File transports that run in production (what the rule reports). */
  files: TSESTree.NewExpression[];
  /** Every daily-rotate-file transport in the file, reported or not. */
  allDailyRotate: TSESTree.NewExpression[];
  /** Console transports that run in production. */
  productionConsoles: TSESTree.NewExpression[];
  /** Console transports added only outside production. */
  developmentConsoles: TSESTree.NewExpression[];
}

/** Where a transport stands in its logger's configuration: the `new` itself, or the variable's one use that holds it. */
type SiteOf = (transport: TSESTree.NewExpression) => TSESTree.Node;

/** A transport's description for a reason: `` the `File` transport on line 4 ``. */
function transportLabel(sourceCode: SourceCode, transport: TSESTree.NewExpression): string {
  const callee = unwrapExpression(transport.callee);
  const name = callee.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(callee) : callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined;
  return `the \`${name ?? sourceCode.getText(transport.callee)}\` transport on line ${transport.loc.start.line}`;
}

/** `[a, b]` → `[…]`, an expression's text cut to one short line for a reason. */
function shortText(sourceCode: SourceCode, node: TSESTree.Node): string {
  const text = sourceCode.getText(node).replace(/\s+/g, ' ');
  return text.length <= 40 ? text : `${text.slice(0, 37)}...`;
}

/**
 * `const rotate = new DailyRotateFile({...})` at module level, used once, as an entry of a
 * `transports: [...]` list: that entry is where the transport stands, and the declaration goes with it.
 * Anything else gives up, saying how the variable is used.
 */
function heldTransport(
  sourceCode: SourceCode,
  transport: TSESTree.NewExpression,
): { use: TSESTree.Identifier; declaration: TSESTree.VariableDeclaration } | undefined {
  const declarator = transport.parent as TSESTree.VariableDeclarator;
  const declaration = declarator.parent;
  const label = transportLabel(sourceCode, transport);
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || declaration.declarations.length !== 1 || declaration.parent.type !== AST_NODE_TYPES.Program) {
    return blocked(
      `${label} is held in a variable ${declaration.parent.type === AST_NODE_TYPES.Program ? 'declared with others' : 'that is exported or not at module level'}, so which logger gets it is not visible here: remove it where it is added to a logger, and then the variable`,
    );
  }
  const name = declarator.id.name;
  const variable = ASTUtils.findVariable(sourceCode.getScope(declarator), declarator.id);
  const uses = (variable?.references ?? []).filter((reference) => !reference.init);
  if (uses.some((reference) => reference.isWrite())) {
    return blocked(`${label} is held in \`${name}\`, which is assigned again later: remove the file transport where \`${name}\` is added to a logger`);
  }
  if (uses.length !== 1) {
    const lines = [...new Set(uses.map((reference) => reference.identifier.loc.start.line))].join(', ');
    return blocked(
      uses.length === 0
        ? `${label} is held in \`${name}\`, which this file never adds to a logger: find where it is used and remove the file transport there`
        : `${label} is held in \`${name}\`, which is used ${uses.length} times (lines ${lines}), not only in one \`transports: [...]\` list: remove each use (or log to stdout with a Console transport there), and then \`${name}\``,
    );
  }
  const use = uses[0].identifier as TSESTree.Identifier;
  const list = use.parent;
  if (list.type !== AST_NODE_TYPES.ArrayExpression || list.parent.type !== AST_NODE_TYPES.Property || getPropertyName(list.parent) !== 'transports') {
    return blocked(
      `${label} is held in \`${name}\`, which is used on line ${use.loc.start.line} as \`${shortText(sourceCode, list)}\`, not as an entry of a \`transports: [...]\` list: remove it there by hand (with \`${name}\`), and log to stdout with a Console transport`,
    );
  }
  return { use, declaration };
}

/**
 * The rewrite of a file's winston setup to stdout: file transports go; the dev-only Console transport
 * becomes unconditional, or one Console transport takes the first file transport's place. A file
 * transport held in a module-level variable used once in a `transports` list goes with its variable.
 * Undefined (with the reason, see `blocked`) when some part has a shape we cannot rewrite safely.
 */
export function planWinstonToStdout(sourceCode: SourceCode, transports: WinstonTransports): LoggerEdit[] | undefined {
  const sites = new Map<TSESTree.NewExpression, TSESTree.Node>();
  const edits: LoggerEdit[] = [];
  for (const file of transports.files) {
    if (file.parent.type !== AST_NODE_TYPES.VariableDeclarator || file.parent.init !== file) continue;
    const held = heldTransport(sourceCode, file);
    if (!held) return undefined;
    sites.set(file, held.use);
    edits.push(removeStatement(sourceCode, held.declaration));
  }
  const site: SiteOf = (transport) => sites.get(transport) ?? transport;
  const groups = new Map<unknown, { files: TSESTree.NewExpression[]; productionConsoles: TSESTree.NewExpression[]; developmentConsoles: TSESTree.NewExpression[] }>();
  const group = (node: TSESTree.NewExpression) => {
    const key = loggerKey(sourceCode, node, site(node));
    let entry = groups.get(key);
    if (!entry) groups.set(key, (entry = { files: [], productionConsoles: [], developmentConsoles: [] }));
    return entry;
  };
  for (const node of transports.files) group(node).files.push(node);
  for (const node of transports.productionConsoles) group(node).productionConsoles.push(node);
  for (const node of transports.developmentConsoles) group(node).developmentConsoles.push(node);
  for (const [key, entry] of groups) {
    // A transport held in a variable, or a `transports` list outside a `createLogger(...)` call: which logger gets it is not visible here.
    const alone = [entry.files[0], entry.productionConsoles[0], entry.developmentConsoles[0]].find((node) => node !== undefined && key === node);
    if (alone) return blocked(unknownLoggerReason(sourceCode, alone, site(alone)));
    const planned = planLogger(sourceCode, entry.files, entry.productionConsoles, entry.developmentConsoles, typeof key === 'string', site);
    if (!planned) return undefined;
    edits.push(...planned);
  }
  if (edits.length === 0) return undefined;
  const gone = new Set<TSESTree.Node>(transports.files);
  if (transports.allDailyRotate.every((transport) => gone.has(transport))) {
    for (const statement of dailyRotateSideEffectImports(sourceCode)) edits.push(removeStatement(sourceCode, statement));
  }
  edits.push(...removeUnusedBindings(sourceCode, edits));
  if (editsOverlap(edits)) {
    return blocked('the edits this logger needs overlap one another (transports nested in one another, or a list shared by two loggers): move each transport into its own `transports` list or `logger.add(...)` call, then run the codemod again');
  }
  return sortEdits(edits);
}

/** Why a transport's logger is not visible: held in a variable, or in a `transports` list built outside `createLogger(...)`. */
function unknownLoggerReason(sourceCode: SourceCode, transport: TSESTree.NewExpression, site: TSESTree.Node): string {
  const label = transportLabel(sourceCode, transport);
  let node: TSESTree.Node = site;
  while (node.parent && (node.parent.type === AST_NODE_TYPES.ArrayExpression || node.parent.type === AST_NODE_TYPES.Property || node.parent.type === AST_NODE_TYPES.ObjectExpression || node.parent.type === AST_NODE_TYPES.SpreadElement)) {
    node = node.parent;
  }
  const holder = node.parent;
  if (node === site && holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.id.type === AST_NODE_TYPES.Identifier) {
    return `${label} is held in \`${holder.id.name}\`, and which logger gets it is not visible here: remove it where it is added to a logger, and then \`${holder.id.name}\``;
  }
  if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.id.type === AST_NODE_TYPES.Identifier && node.type === AST_NODE_TYPES.ArrayExpression) {
    return `${label} is in a list of transports built in \`${holder.id.name}\` (line ${holder.loc.start.line}) and spread or passed into a logger elsewhere, so what else that list feeds is not visible: write its transports into the logger's own \`transports: [...]\`, or replace the file transport with \`new winston.transports.Console()\` by hand`;
  }
  if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.id.type === AST_NODE_TYPES.Identifier) {
    return `${label} is in options built in \`${holder.id.name}\` (line ${holder.loc.start.line}), outside the \`createLogger(...)\` call that uses them: inline them into that call, or replace the file transport with \`new winston.transports.Console()\` by hand`;
  }
  if (node !== site && node.type === AST_NODE_TYPES.ObjectExpression) {
    return `${label} is in options built outside a \`createLogger(...)\` call (here \`${shortText(sourceCode, node.parent ?? node)}\`): inline them into that call, or replace the file transport with \`new winston.transports.Console()\` by hand`;
  }
  return `${label} is not in a \`transports: [...]\` list of a \`createLogger(...)\` call or in a \`logger.add(...)\` statement (here \`${shortText(sourceCode, site.parent ?? site)}\`): replace it with \`new winston.transports.Console()\` by hand`;
}

/**
 * Which logger a transport belongs to: the variable a `createLogger({ transports })` call is assigned
 * to, the receiver of `logger.add(...)`, or the call itself. Transports of different loggers are
 * rewritten separately: a dev-only Console on one logger gives nothing to another. `site` is where the
 * transport stands (its variable's use, when it is held in one).
 */
function loggerKey(sourceCode: SourceCode, transport: TSESTree.NewExpression, site: TSESTree.Node = transport): unknown {
  let node: TSESTree.Node = site;
  while (
    node.parent &&
    (node.parent.type === AST_NODE_TYPES.ArrayExpression ||
      node.parent.type === AST_NODE_TYPES.SpreadElement ||
      node.parent.type === AST_NODE_TYPES.ConditionalExpression ||
      node.parent.type === AST_NODE_TYPES.LogicalExpression ||
      node.parent.type === AST_NODE_TYPES.Property ||
      node.parent.type === AST_NODE_TYPES.ObjectExpression)
  ) {
    node = node.parent;
  }
  const call = node.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression) return transport;
  if (call.callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(call.callee) === 'add' && node === site) {
    return `receiver:${sourceCode.getText(call.callee.object)}`;
  }
  let holder: TSESTree.Node = call;
  while (holder.parent && (holder.parent.type === AST_NODE_TYPES.AwaitExpression || holder.parent.type === AST_NODE_TYPES.TSAsExpression)) holder = holder.parent;
  if (holder.parent?.type === AST_NODE_TYPES.VariableDeclarator && holder.parent.id.type === AST_NODE_TYPES.Identifier) {
    return `receiver:${holder.parent.id.name}`;
  }
  // `module.exports = logger = createLogger(...)`: the logger is the name assigned, wherever the chain ends.
  for (let assigned: TSESTree.Node = holder; assigned.parent?.type === AST_NODE_TYPES.AssignmentExpression && assigned.parent.right === assigned; assigned = assigned.parent) {
    if (assigned.parent.left.type === AST_NODE_TYPES.Identifier) return `receiver:${assigned.parent.left.name}`;
  }
  return call;
}

function planLogger(
  sourceCode: SourceCode,
  files: readonly TSESTree.NewExpression[],
  productionConsoles: readonly TSESTree.NewExpression[],
  developmentConsoles: readonly TSESTree.NewExpression[],
  knownLogger: boolean,
  site: SiteOf,
): LoggerEdit[] | undefined {
  const edits: LoggerEdit[] = [];
  let removed = files;
  if (productionConsoles.length === 0 && developmentConsoles.length > 0) {
    // The dev-only Console takes the file transports' place in the logger's own list, as a person would write it.
    const moved = moveConsoleIntoTransports(sourceCode, files.map(site), developmentConsoles[0]);
    if (moved) return moved;
  }
  if (productionConsoles.length === 0) {
    if (developmentConsoles.length > 0) {
      const guarded = transportLabel(sourceCode, developmentConsoles[0]).replace(/^the `\w+` transport/, 'the Console transport');
      // A console pushed into some array may end up next to another one: only `logger.add(...)` is unguarded.
      if (!knownLogger) {
        return blocked(`${guarded} is added only outside production, and not with \`logger.add(...)\` of a logger this file names: add a Console transport unconditionally by hand (vary its format, not its presence)`);
      }
      const unguarded = unguardConsole(sourceCode, developmentConsoles[0]);
      if (!unguarded) {
        const choice = choosingConditional(developmentConsoles[0]);
        if (choice) {
          return blocked(
            `the logger's transports are chosen by \`${shortText(sourceCode, choice.test)} ? ... : ...\` (line ${choice.loc.start.line}), so production gets the file transports and only development ${guarded}: make the list one, with the Console transport and without the file ones (vary its format with that test, not the transports)`,
          );
        }
        return blocked(
          `${guarded} is added only outside production, but not as \`if (<not production>) logger.add(new Console({ ... }))\` with nothing else in the \`if\` and its options an object literal: add it unconditionally by hand (vary its format, not its presence)`,
        );
      }
      edits.push(...unguarded);
    } else {
      if (files.length === 0) return [];
      const replacement = consoleReplacement(sourceCode, files, site);
      if (!replacement) return undefined;
      edits.push(replacement);
      removed = files.slice(1);
    }
  }
  const lists = new Map<TSESTree.ArrayExpression, Set<TSESTree.Node>>();
  for (const file of removed) {
    const node = site(file);
    const parent = node.parent!;
    if (parent.type === AST_NODE_TYPES.ArrayExpression) {
      const set = lists.get(parent) ?? new Set();
      set.add(node);
      lists.set(parent, set);
    } else if (
      parent.type === AST_NODE_TYPES.CallExpression &&
      parent.arguments.length === 1 &&
      parent.callee.type === AST_NODE_TYPES.MemberExpression &&
      getPropertyName(parent.callee) === 'add' &&
      parent.parent.type === AST_NODE_TYPES.ExpressionStatement
    ) {
      edits.push(removeStatement(sourceCode, enclosingGuardOnly(parent.parent)));
    } else {
      return blocked(
        `${transportLabel(sourceCode, file)} stands in \`${shortText(sourceCode, parent)}\`, not as an entry of a \`transports: [...]\` list or a \`logger.add(...)\` statement of its own: remove it by hand (the logger already has a Console transport)`,
      );
    }
  }
  for (const [list, set] of lists) edits.push(...removeFromList(sourceCode, list.elements, set));
  return edits;
}

/** `pino(options, pino.destination('app.log'))` → `pino(options)`: pino's default destination is stdout. */
export function planPinoDestination(sourceCode: SourceCode, call: TSESTree.CallExpression): LoggerEdit[] | undefined {
  const parent = call.parent;
  if (parent.type !== AST_NODE_TYPES.CallExpression || !parent.arguments.includes(call) || !isPinoFactoryCall(parent, sourceCode.getScope(parent))) {
    return blocked(
      `\`${shortText(sourceCode, call)}\` is not passed straight to \`pino(...)\` (here \`${shortText(sourceCode, parent)}\`), so what else uses the stream is not visible: pass no destination to \`pino(...)\` (stdout) by hand`,
    );
  }
  const edits = removeFromList(sourceCode, parent.arguments, new Set([call]));
  edits.push(...removeUnusedBindings(sourceCode, edits));
  if (editsOverlap(edits)) return blocked('the edits this `pino(...)` call needs overlap one another: drop the destination by hand');
  return sortEdits(edits);
}

/** A pino target that writes to stdout (`pino-pretty`'s default, or `pino/file` to fd 1). */
function isStdoutTarget(node: TSESTree.Node | null, sourceCode: SourceCode): boolean {
  if (node?.type !== AST_NODE_TYPES.ObjectExpression) return false;
  const scope = sourceCode.getScope(node);
  const target = getStaticOption(node, 'target', scope);
  if (target !== 'pino-pretty' && target !== 'pino/file') return false;
  const options = findProperty(node, 'options');
  const optionsValue = options && unwrapExpression(options.value);
  if (!optionsValue) return true;
  if (optionsValue.type !== AST_NODE_TYPES.ObjectExpression) return false;
  const destination = findProperty(optionsValue, 'destination');
  return !destination || !isFileDestination(destination.value, scope);
}

/** pino's levels, most verbose first. */
const PINO_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** One stdout target for several file targets, at the most verbose level any of them had. */
function stdoutTarget(sourceCode: SourceCode, targets: readonly TSESTree.ObjectExpression[]): string {
  const levels = targets.map((target) => getStaticOption(target, 'level', sourceCode.getScope(target)));
  const ranks = levels.map((level) => (level === undefined ? -1 : PINO_LEVELS.indexOf(level)));
  let levelText = '';
  if (targets.length === 1) {
    const level = findProperty(targets[0], 'level');
    levelText = level ? `, level: ${sourceCode.getText(level.value)}` : '';
  } else if (ranks.every((rank) => rank >= 0)) {
    levelText = `, level: ${quote(sourceCode, PINO_LEVELS[Math.min(...ranks)])}`;
  }
  return `{ target: ${quote(sourceCode, 'pino/file')}${levelText}, options: { destination: 1 } }`;
}

/**
 * A pino file target: `transport: { target: 'pino/file', ... }` in `pino({...})` goes (default destination:
 * stdout); in `targets: [...]` it goes when another target already writes stdout, else it becomes
 * `pino/file` to fd 1 with the same level; in `pino.transport(...)` it becomes that stdout target.
 */
export function planPinoTarget(sourceCode: SourceCode, target: TSESTree.ObjectExpression): LoggerEdit[] | undefined {
  const parent = target.parent;
  let edits: LoggerEdit[] | undefined;
  if (parent.type === AST_NODE_TYPES.Property && parent.value === target && getPropertyName(parent) === 'transport') {
    const options = parent.parent;
    const call = options.parent;
    if (
      options.type === AST_NODE_TYPES.ObjectExpression &&
      call?.type === AST_NODE_TYPES.CallExpression &&
      call.arguments[0] === options &&
      isPinoFactoryCall(call, sourceCode.getScope(call))
    ) {
      edits = removeFromList(sourceCode, options.properties, new Set([parent]));
    }
  } else if (parent.type === AST_NODE_TYPES.ArrayExpression && parent.parent.type === AST_NODE_TYPES.Property && getPropertyName(parent.parent) === 'targets') {
    const scope = sourceCode.getScope(parent);
    const fileTargets = parent.elements.filter(
      (element): element is TSESTree.ObjectExpression => element?.type === AST_NODE_TYPES.ObjectExpression && isPinoFileTarget(element, scope),
    );
    if (parent.elements.some((element) => isStdoutTarget(element, sourceCode)) || fileTargets[0] !== target) {
      edits = removeFromList(sourceCode, parent.elements, new Set([target]));
    } else {
      edits = [{ range: target.range, text: stdoutTarget(sourceCode, fileTargets) }];
    }
  } else if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === target) {
    const source = getModulePath(parent.callee, sourceCode.getScope(parent));
    if (source?.module === 'pino' && source.path.join('.') === 'transport') edits = [{ range: target.range, text: stdoutTarget(sourceCode, [target]) }];
  }
  if (!edits) {
    return blocked(
      "the file target is not `transport: { ... }` of a `pino({...})` call, an entry of a `targets: [...]` list or the argument of `pino.transport(...)`: replace it with `{ target: 'pino/file', options: { destination: 1 } }` by hand",
    );
  }
  edits.push(...removeUnusedBindings(sourceCode, edits));
  if (editsOverlap(edits)) return blocked('the edits the pino targets need overlap one another: replace the file targets by hand');
  return sortEdits(edits);
}

/** A `pino.multistream([...])` entry's stream: the entry itself, or its `stream:` property. */
export function multistreamEntryStream(entry: TSESTree.Node): TSESTree.Node | undefined {
  const expression = unwrapExpression(entry);
  if (expression.type !== AST_NODE_TYPES.ObjectExpression) return expression;
  return findProperty(expression, 'stream')?.value;
}

/** `process.stdout`, `process.stderr`, `pino.destination(1)`, `pino.destination(process.stdout.fd)`. */
function isStandardStream(node: TSESTree.Node | undefined, sourceCode: SourceCode): boolean {
  if (!node) return false;
  const text = sourceCode.getText(node).replace(/\s+/g, '');
  return /^process\.std(?:out|err)$/.test(text) || /destination\((?:1|2|process\.std(?:out|err)\.fd)\)$/.test(text);
}

/**
 * `pino.multistream([{ stream: process.stdout }, { stream: fs.createWriteStream('app.log') }])`: the file
 * entries go while a standard stream stays; with none left, the first file entry writes `process.stdout`
 * instead (its level kept).
 */
export function planMultistream(
  sourceCode: SourceCode,
  lists: readonly { list: TSESTree.ArrayExpression; files: readonly TSESTree.Node[] }[],
): LoggerEdit[] | undefined {
  const edits: LoggerEdit[] = [];
  for (const { list, files } of lists) {
    const fileEntries = new Set(files);
    const entries = list.elements.filter((element): element is TSESTree.Expression => element !== null && element.type !== AST_NODE_TYPES.SpreadElement);
    if (entries.length !== list.elements.length) {
      return blocked('the `pino.multistream([...])` list has a spread or an empty slot, which may hold standard streams or files: write the list out, then run the codemod again');
    }
    const kept = entries.filter((entry) => !fileEntries.has(entry));
    if (kept.some((entry) => isStandardStream(multistreamEntryStream(entry), sourceCode))) {
      edits.push(...removeFromList(sourceCode, list.elements, fileEntries));
    } else {
      const first = entries.find((entry) => fileEntries.has(entry))!;
      const stream = multistreamEntryStream(first)!;
      edits.push({ range: stream.range, text: 'process.stdout' });
      edits.push(...removeFromList(sourceCode, list.elements, new Set([...fileEntries].filter((entry) => entry !== first))));
    }
  }
  edits.push(...removeUnusedBindings(sourceCode, edits));
  return editsOverlap(edits) ? undefined : sortEdits(edits);
}

/** Calls that go whole: each must be a statement of its own (with the `if` that only guards it). */
export function planStatementsRemoval(sourceCode: SourceCode, calls: readonly TSESTree.CallExpression[]): LoggerEdit[] | undefined {
  const statements: TSESTree.Node[] = [];
  for (const call of calls) {
    if (call.parent.type !== AST_NODE_TYPES.ExpressionStatement) {
      return blocked(`\`${shortText(sourceCode, call)}\` (line ${call.loc.start.line}) is part of a larger expression, not a statement of its own: remove it by hand`);
    }
    statements.push(enclosingGuardOnly(call.parent));
  }
  // Adjacent statements go as one block, so the blank lines around them are handled once.
  const runs: [number, number][] = [];
  for (const statement of [...statements].sort((a, b) => a.range[0] - b.range[0])) {
    const last = runs.at(-1);
    if (last && sourceCode.text.slice(last[1], statement.range[0]).trim() === '') last[1] = statement.range[1];
    else runs.push([statement.range[0], statement.range[1]]);
  }
  const edits = runs.map((range) => removeStatement(sourceCode, { range } as TSESTree.Node));
  edits.push(...removeUnusedBindings(sourceCode, edits));
  return editsOverlap(edits) ? undefined : sortEdits(edits);
}
