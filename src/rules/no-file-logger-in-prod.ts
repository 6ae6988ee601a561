import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, getStaticString, resolveInitializer, unwrapExpression } from '../core/ast';
import { createRule } from '../core/create-rule';
import { IGNORE_FILES_SCHEMA, isIgnoredFile, TEST_FILE_GLOBS } from '../core/test-files';
import { planBunyanStream } from '../logger/bunyan-stdout-plan';
import { planLog4jsAppenders } from '../logger/log4js-stdout-plan';
import type { LoggerEdit } from '../logger/logger-rewrite';
import {
  multistreamEntryStream,
  planMultistream,
  planPinoDestination,
  planPinoTarget,
  planStatementsRemoval,
  planWinstonToStdout,
} from '../logger/logger-stdout-plan';
import {
  classifyWinstonTransport,
  getModulePath,
  getOptionsObject,
  getStaticOption,
  isBunyanFileStream,
  isFileDestination,
  isFileWriteStream,
  isInsideProperty,
  isLog4jsFileAppender,
  isPinoDestinationCall,
  isPinoFileTarget,
  isPinoMultistreamCall,
} from '../logger/logger-transports';
import { programImports } from '../core/module-source';
import { isOptIn, neverRunsInProduction } from '../logger/node-env-guard';
import { planWithReason, recordBlocker, startBlockers } from '../logger/rewrite-blockers';

export type Options = [
  {
    /** Globs of files the rule skips (tests, e2e suites, mocks by default). */
    ignoreFiles?: readonly string[];
  },
];
export type MessageIds = 'winstonFileTransport' | 'fileSink' | 'consoleOnlyOutsideProduction' | 'consoleRemoved' | 'logToStdout';

/** `appenders`: a log4js configuration may live in a module of its own that never names log4js. */
const MIGHT_MATCH = /winston|pino|bunyan|log4js|appenders/;

export default createRule<Options, MessageIds>({
  name: 'no-file-logger-in-prod',
  meta: {
    defaultOptions: [{ ignoreFiles: TEST_FILE_GLOBS }],
    type: 'problem',
    docs: {
      description: 'Disallow loggers that write to files (or reach stdout only outside production) in code that runs in a container',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: { ignoreFiles: IGNORE_FILES_SCHEMA },
      },
    ],
    messages: {
      winstonFileTransport:
        "{{sink}} writes logs to a file inside the container, where nobody reads them and each deploy wipes them; on a read-only filesystem winston crashes the process at start (EACCES mkdir). Log to stdout with a Console transport and let the platform collect it.",
      fileSink:
        '{{sink}} writes logs to a file inside the container, where nobody reads them and each deploy wipes them (on a read-only filesystem the file cannot even be opened). Log to stdout and let the platform collect it.',
      consoleOnlyOutsideProduction:
        'This Console transport is added only outside production and the logger has no other stdout or stderr output there, so production logs go nowhere the platform can see. Add it unconditionally (vary its format, not its presence).',
      consoleRemoved:
        "This removes winston's default Console transport, the logger's only output the platform can see, so production logs go to files or nowhere. Keep the Console transport (vary its options, not its presence).",
      logToStdout: 'Log to stdout instead (removes the file output; the same rewrite as the codemod).',
    },
  },
  create(context, [{ ignoreFiles = TEST_FILE_GLOBS }]) {
    const { sourceCode } = context;
    if (!MIGHT_MATCH.test(sourceCode.text)) return {};
    // A test's logger writes where the test runner runs, never on a container's disk.
    if (isIgnoredFile(context.filename, context.cwd, ignoreFiles)) return {};
    const scopeOf = (node: TSESTree.Node): TSESLint.Scope.Scope => sourceCode.getScope(node);
    const runsInProduction = (node: TSESTree.Node): boolean => !neverRunsInProduction(node, scopeOf) && !isOptIn(node, scopeOf);

    const winstonFiles: TSESTree.NewExpression[] = [];
    const allDailyRotate: TSESTree.NewExpression[] = [];
    const consoles: TSESTree.NewExpression[] = [];
    /** Other transports (HTTP, a vendor's): production has some output, so a dev-only console is not the only one. */
    const otherTransports: TSESTree.NewExpression[] = [];
    const pinoDestinations: TSESTree.CallExpression[] = [];
    const objectSinks: { node: TSESTree.ObjectExpression; sink: string; library: 'pino' | 'bunyan' | 'log4js' }[] = [];
    let libraries: { pino: boolean; bunyan: boolean; log4js: boolean } | undefined;
    /** winston 2's default logger: `winston.add(winston.transports.File, opts)`, `winston.remove(winston.transports.Console)`. */
    const winston2FileAdds: TSESTree.CallExpression[] = [];
    const winston2ConsoleRemoves: TSESTree.CallExpression[] = [];
    const winston2ConsoleAdds: TSESTree.CallExpression[] = [];
    /** `pino.multistream([...])` lists with entries that write files. */
    const multistreams: { list: TSESTree.ArrayExpression; files: TSESTree.Expression[] }[] = [];

    /** `fs.createWriteStream(path)` or `pino.destination(path)`. */
    function isFileStream(stream: TSESTree.Node, scope: TSESLint.Scope.Scope): boolean {
      const expression = unwrapExpression(stream);
      if (isFileWriteStream(expression, scope)) return true;
      return (
        expression.type === AST_NODE_TYPES.CallExpression &&
        isPinoDestinationCall(expression, scope) &&
        expression.arguments[0] !== undefined &&
        isFileDestination(expression.arguments[0], scope)
      );
    }

    function inMultistream(node: TSESTree.Node): boolean {
      let entry: TSESTree.Node = node;
      if (entry.parent?.type === AST_NODE_TYPES.Property && entry.parent.parent.type === AST_NODE_TYPES.ObjectExpression) entry = entry.parent.parent;
      const list = entry.parent;
      const call = list?.parent;
      return list?.type === AST_NODE_TYPES.ArrayExpression && call?.type === AST_NODE_TYPES.CallExpression && isPinoMultistreamCall(call, scopeOf(call));
    }

    type Plan = { plan: LoggerEdit[] | undefined; reason: string | undefined };
    const fallbackReasons: Record<'winston' | 'winston2' | 'pino' | 'multistream' | 'bunyan' | 'log4js', string> = {
      winston: 'this winston setup has a shape the rewrite does not cover: replace the file transports with `new winston.transports.Console()` by hand',
      winston2: "this winston 2 setup has a shape the rewrite does not cover: remove the `add(File)` and `remove(Console)` calls by hand",
      pino: 'this pino setup has a shape the rewrite does not cover: give pino no file destination (its default is stdout) by hand',
      multistream: 'this `pino.multistream` has a shape the rewrite does not cover: replace the file streams with `process.stdout` by hand',
      bunyan: 'this bunyan setup has a shape the rewrite does not cover: replace the file stream with `{ stream: process.stdout }` by hand',
      log4js: "this log4js configuration has a shape the rewrite does not cover: replace the file appender with `{ type: 'stdout' }` by hand",
    };

    /** The report's suggestion; without one, the reason the codemod gives for leaving the finding. */
    function suggestion(node: TSESTree.Node, { plan, reason }: Plan, kind: keyof typeof fallbackReasons): TSESLint.ReportSuggestionArray<MessageIds> {
      if (!plan) {
        recordBlocker(node.loc.start.line, node.loc.start.column + 1, reason ?? fallbackReasons[kind]);
        return [];
      }
      return [{ messageId: 'logToStdout', fix: (fixer) => plan.map((edit) => fixer.replaceTextRange(edit.range, edit.text)) }];
    }

    function isTransportPosition(node: TSESTree.NewExpression): boolean {
      const parent = node.parent;
      if (parent.type === AST_NODE_TYPES.ArrayExpression) return isInsideProperty(node, 'transports');
      return (
        parent.type === AST_NODE_TYPES.CallExpression &&
        parent.arguments[0] === node &&
        parent.callee.type === AST_NODE_TYPES.MemberExpression &&
        getPropertyName(parent.callee) === 'add'
      );
    }

    return {
      Program(program) {
        startBlockers(sourceCode.text);
        libraries = {
          pino: programImports(program, ['pino']),
          bunyan: programImports(program, ['bunyan']),
          log4js: programImports(program, ['log4js']),
        };
      },
      NewExpression(node) {
        const kind = classifyWinstonTransport(node, scopeOf(node));
        if (kind === 'file' || kind === 'daily-rotate-file') {
          if (kind === 'daily-rotate-file') allDailyRotate.push(node);
          if (runsInProduction(node)) winstonFiles.push(node);
        } else if (kind === 'console') {
          consoles.push(node);
        } else if (kind === 'other' || (kind === undefined && isTransportPosition(node))) {
          otherTransports.push(node);
        }
      },
      CallExpression(node) {
        if (!node.arguments[0]) return;
        const scope = scopeOf(node);
        const legacy = winston2DefaultLoggerCall(node, scope);
        if (legacy === 'file') winston2FileAdds.push(node);
        else if (legacy === 'console') (getPropertyName(node.callee as TSESTree.MemberExpression) === 'add' ? winston2ConsoleAdds : winston2ConsoleRemoves).push(node);
        if (legacy) return;
        if (!libraries?.pino) return;
        if (isPinoMultistreamCall(node, scope)) {
          // Inline, or a `const streams = [...]` of the same file.
          const argument = unwrapExpression(node.arguments[0]);
          const list = unwrapExpression(resolveInitializer(argument, scope) ?? argument);
          if (list.type !== AST_NODE_TYPES.ArrayExpression) return;
          const files = list.elements.filter((entry): entry is TSESTree.Expression => {
            const stream = entry && entry.type !== AST_NODE_TYPES.SpreadElement ? multistreamEntryStream(entry) : undefined;
            return stream !== undefined && isFileStream(stream, scope);
          });
          if (files.length > 0 && runsInProduction(node)) multistreams.push({ list, files });
          return;
        }
        if (isPinoDestinationCall(node, scope) && isFileDestination(node.arguments[0], scope) && runsInProduction(node) && !inMultistream(node)) {
          pinoDestinations.push(node);
        }
      },
      ObjectExpression(node) {
        if (!libraries) return;
        const scope = scopeOf(node);
        if (libraries.pino && isPinoFileTarget(node, scope)) {
          objectSinks.push({ node, sink: `The pino transport \`${getStaticOption(node, 'target', scope)}\``, library: 'pino' });
        } else if (libraries.bunyan && isBunyanStream(node) && isBunyanFileStream(node, scope)) {
          const type = getStaticOption(node, 'type', scope);
          objectSinks.push({ node, sink: type === 'rotating-file' ? "bunyan's `rotating-file` stream" : "A bunyan `path` stream", library: 'bunyan' });
        } else if ((libraries.log4js || isInLog4jsConfiguration(node)) && isInsideProperty(node, 'appenders') && isLog4jsFileAppender(node, scope)) {
          objectSinks.push({ node, sink: `The log4js \`${getStaticOption(node, 'type', scope)}\` appender`, library: 'log4js' });
        }
      },
      'Program:exit'() {
        const developmentConsoles = consoles.filter((node) => neverRunsInProduction(node, scopeOf));
        const productionConsoles = consoles.filter((node) => !developmentConsoles.includes(node));
        const productionOthers = otherTransports.filter(runsInProduction);
        const invertedConsoles = productionConsoles.length === 0 && productionOthers.length === 0 ? developmentConsoles : [];

        if (winstonFiles.length > 0 || invertedConsoles.length > 0) {
          const plan = planWithReason(() => planWinstonToStdout(sourceCode, {
            files: winstonFiles,
            allDailyRotate,
            productionConsoles,
            developmentConsoles: invertedConsoles,
          }));
          for (const node of winstonFiles) {
            context.report({
              node,
              messageId: 'winstonFileTransport',
              data: { sink: describeWinstonFile(node.callee, getOptionsObject(node), scopeOf(node)) },
              suggest: suggestion(node, plan, 'winston'),
            });
          }
          for (const node of invertedConsoles) {
            context.report({ node, messageId: 'consoleOnlyOutsideProduction', suggest: suggestion(node, plan, 'winston') });
          }
        }
        for (const node of pinoDestinations) {
          const target = getStaticString(node.arguments[0], scopeOf(node));
          context.report({
            node,
            messageId: 'fileSink',
            data: { sink: target === undefined ? '`pino.destination(...)`' : `\`pino.destination('${target}')\`` },
            suggest: suggestion(node, planWithReason(() => planPinoDestination(sourceCode, node)), 'pino'),
          });
        }
        const legacyFiles = winston2FileAdds.filter(runsInProduction);
        // `remove(Console)` then `add(Console, { json: true })` only changes its options.
        const legacyRemoves = winston2ConsoleAdds.length === 0 ? winston2ConsoleRemoves.filter(runsInProduction) : [];
        if (legacyFiles.length > 0 || legacyRemoves.length > 0) {
          const plan = planWithReason(() => planStatementsRemoval(sourceCode, [...legacyFiles, ...legacyRemoves]));
          for (const node of legacyFiles) {
            const options = getOptionsObject({ arguments: node.arguments.slice(1) } as TSESTree.CallExpression);
            context.report({ node, messageId: 'winstonFileTransport', data: { sink: describeWinstonFile(node.arguments[0], options, scopeOf(node)) }, suggest: suggestion(node, plan, 'winston2') });
          }
          for (const node of legacyRemoves) context.report({ node, messageId: 'consoleRemoved', suggest: suggestion(node, plan, 'winston2') });
        }
        const multistreamPlan = planWithReason(() => (multistreams.length > 0 ? planMultistream(sourceCode, multistreams) : undefined));
        for (const { files } of multistreams) {
          for (const entry of files) {
            const stream = unwrapExpression(multistreamEntryStream(entry)!) as TSESTree.CallExpression;
            const target = stream.arguments[0] && getStaticString(stream.arguments[0], scopeOf(stream));
            const callee = sourceCode.getText(stream.callee);
            context.report({
              node: entry,
              messageId: 'fileSink',
              data: { sink: `\`${callee}(${target === undefined ? '...' : `'${target}'`})\` in \`pino.multistream\`` },
              suggest: suggestion(entry, multistreamPlan, 'multistream'),
            });
          }
        }
        const plans = { pino: planPinoTarget, bunyan: planBunyanStream, log4js: planLog4jsAppenders };
        for (const { node, sink, library } of objectSinks) {
          if (!runsInProduction(node)) continue;
          context.report({ node, messageId: 'fileSink', data: { sink }, suggest: suggestion(node, planWithReason(() => plans[library](sourceCode, node)), library) });
        }
      },
    };
  },
});

/**
 * winston 2's default logger, configured by class: `winston.add(winston.transports.File, opts)` → 'file',
 * `winston.remove(winston.transports.Console)` / `winston.add(winston.transports.Console, opts)` → 'console'.
 */
function winston2DefaultLoggerCall(node: TSESTree.CallExpression, scope: TSESLint.Scope.Scope): 'file' | 'console' | undefined {
  const callee = unwrapExpression(node.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = getPropertyName(callee);
  if (method !== 'add' && method !== 'remove') return undefined;
  const receiver = getModulePath(callee.object, scope);
  if (receiver?.module !== 'winston' || receiver.path.length > 0) return undefined;
  const transport = getModulePath(node.arguments[0], scope);
  if (transport?.module === 'winston-daily-rotate-file' && transport.path.length === 0) return method === 'add' ? 'file' : undefined;
  if (transport?.module !== 'winston' || transport.path.length !== 2 || transport.path[0] !== 'transports') return undefined;
  if (transport.path[1] === 'Console') return 'console';
  return method === 'add' && (transport.path[1] === 'File' || transport.path[1] === 'DailyRotateFile') ? 'file' : undefined;
}

/**
 * `{ appenders: { file: { type: 'file', … } }, categories: { default: { … } } }`: log4js's configuration
 * shape, also in a module that only exports it (`config/log4js.js`, read by `log4js.configure(require(…))`).
 */
function isInLog4jsConfiguration(appender: TSESTree.ObjectExpression): boolean {
  const appenders = appender.parent.type === AST_NODE_TYPES.Property ? appender.parent.parent : undefined;
  const property = appenders?.parent;
  const configuration = property?.parent;
  return (
    property?.type === AST_NODE_TYPES.Property &&
    getPropertyName(property) === 'appenders' &&
    configuration?.type === AST_NODE_TYPES.ObjectExpression &&
    configuration.properties.some((other) => other.type === AST_NODE_TYPES.Property && getPropertyName(other) === 'categories')
  );
}

/** `streams: [{ ... }]` in `bunyan.createLogger`, or `logger.addStream({ ... })`. */
function isBunyanStream(node: TSESTree.ObjectExpression): boolean {
  if (node.parent.type === AST_NODE_TYPES.ArrayExpression) return isInsideProperty(node, 'streams');
  const call = node.parent;
  return (
    call.type === AST_NODE_TYPES.CallExpression &&
    call.callee.type === AST_NODE_TYPES.MemberExpression &&
    getPropertyName(call.callee) === 'addStream'
  );
}

function describeWinstonFile(transport: TSESTree.Node, options: TSESTree.ObjectExpression | undefined, scope: TSESLint.Scope.Scope): string {
  const filename = getStaticOption(options, 'filename', scope);
  const callee = unwrapExpression(transport);
  const name = callee.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(callee) : callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined;
  const label = `\`${name ?? 'File'}\` transport`;
  const dirname = getStaticOption(options, 'dirname', scope);
  const path = filename && (dirname ? `${dirname}/${filename}` : filename);
  return path ? `The winston ${label} ('${path}')` : `The winston ${label}`;
}
