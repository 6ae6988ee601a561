import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, getStaticString, unwrapExpression } from '../core/ast';
import { createRule } from '../core/create-rule';
import type { LoggerEdit } from '../logger/logger-rewrite';
import { planPinoDestination, planPinoTarget, planWinstonToStdout } from '../logger/logger-stdout-plan';
import {
  classifyWinstonTransport,
  getOptionsObject,
  getStaticOption,
  isBunyanFileStream,
  isFileDestination,
  isInsideProperty,
  isLog4jsFileAppender,
  isPinoDestinationCall,
  isPinoFileTarget,
} from '../logger/logger-transports';
import { programImports } from '../core/module-source';
import { isOptIn, neverRunsInProduction } from '../logger/node-env-guard';

export type Options = [];
export type MessageIds = 'winstonFileTransport' | 'fileSink' | 'consoleOnlyOutsideProduction' | 'logToStdout';

const MIGHT_MATCH = /winston|pino|bunyan|log4js/;

export default createRule<Options, MessageIds>({
  name: 'no-file-logger-in-prod',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow loggers that write to files (or reach stdout only outside production) in code that runs in a container',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      winstonFileTransport:
        "{{sink}} writes logs to a file inside the container, where nobody reads them and each deploy wipes them; on a read-only filesystem winston crashes the process at start (EACCES mkdir). Log to stdout with a Console transport and let the platform collect it.",
      fileSink:
        '{{sink}} writes logs to a file inside the container, where nobody reads them and each deploy wipes them (on a read-only filesystem the file cannot even be opened). Log to stdout and let the platform collect it.',
      consoleOnlyOutsideProduction:
        'This Console transport is added only outside production and the logger has no other stdout or stderr output there, so production logs go nowhere the platform can see. Add it unconditionally (vary its format, not its presence).',
      logToStdout: 'Log to stdout instead (removes the file output; the same rewrite as the codemod).',
    },
  },
  create(context) {
    const { sourceCode } = context;
    if (!MIGHT_MATCH.test(sourceCode.text)) return {};
    const scopeOf = (node: TSESTree.Node): TSESLint.Scope.Scope => sourceCode.getScope(node);
    const runsInProduction = (node: TSESTree.Node): boolean => !neverRunsInProduction(node, scopeOf) && !isOptIn(node, scopeOf);

    const winstonFiles: TSESTree.NewExpression[] = [];
    const allDailyRotate: TSESTree.NewExpression[] = [];
    const consoles: TSESTree.NewExpression[] = [];
    /** Other transports (HTTP, a vendor's): production has some output, so a dev-only console is not the only one. */
    const otherTransports: TSESTree.NewExpression[] = [];
    const pinoDestinations: TSESTree.CallExpression[] = [];
    const objectSinks: { node: TSESTree.ObjectExpression; sink: string; pino: boolean }[] = [];
    let libraries: { pino: boolean; bunyan: boolean; log4js: boolean } | undefined;

    function suggestion(plan: LoggerEdit[] | undefined): TSESLint.ReportSuggestionArray<MessageIds> {
      if (!plan) return [];
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
        if (!libraries?.pino || !node.arguments[0]) return;
        const scope = scopeOf(node);
        if (isPinoDestinationCall(node, scope) && isFileDestination(node.arguments[0], scope) && runsInProduction(node)) {
          pinoDestinations.push(node);
        }
      },
      ObjectExpression(node) {
        if (!libraries) return;
        const scope = scopeOf(node);
        if (libraries.pino && isPinoFileTarget(node, scope)) {
          objectSinks.push({ node, sink: `The pino transport \`${getStaticOption(node, 'target', scope)}\``, pino: true });
        } else if (libraries.bunyan && isBunyanStream(node) && isBunyanFileStream(node, scope)) {
          const type = getStaticOption(node, 'type', scope);
          objectSinks.push({ node, sink: type === 'rotating-file' ? "bunyan's `rotating-file` stream" : "A bunyan `path` stream", pino: false });
        } else if (libraries.log4js && isInsideProperty(node, 'appenders') && isLog4jsFileAppender(node, scope)) {
          objectSinks.push({ node, sink: `The log4js \`${getStaticOption(node, 'type', scope)}\` appender`, pino: false });
        }
      },
      'Program:exit'() {
        const developmentConsoles = consoles.filter((node) => neverRunsInProduction(node, scopeOf));
        const productionConsoles = consoles.filter((node) => !developmentConsoles.includes(node));
        const productionOthers = otherTransports.filter(runsInProduction);
        const invertedConsoles = productionConsoles.length === 0 && productionOthers.length === 0 ? developmentConsoles : [];

        if (winstonFiles.length > 0 || invertedConsoles.length > 0) {
          const plan = planWinstonToStdout(sourceCode, {
            files: winstonFiles,
            allDailyRotate,
            productionConsoles,
            developmentConsoles: invertedConsoles,
          });
          for (const node of winstonFiles) {
            context.report({ node, messageId: 'winstonFileTransport', data: { sink: describeWinstonFile(node, scopeOf(node)) }, suggest: suggestion(plan) });
          }
          for (const node of invertedConsoles) {
            context.report({ node, messageId: 'consoleOnlyOutsideProduction', suggest: suggestion(plan) });
          }
        }
        for (const node of pinoDestinations) {
          const target = getStaticString(node.arguments[0], scopeOf(node));
          context.report({
            node,
            messageId: 'fileSink',
            data: { sink: target === undefined ? '`pino.destination(...)`' : `\`pino.destination('${target}')\`` },
            suggest: suggestion(planPinoDestination(sourceCode, node)),
          });
        }
        for (const { node, sink, pino } of objectSinks) {
          if (!runsInProduction(node)) continue;
          context.report({ node, messageId: 'fileSink', data: { sink }, suggest: pino ? suggestion(planPinoTarget(sourceCode, node)) : [] });
        }
      },
    };
  },
});

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

function describeWinstonFile(node: TSESTree.NewExpression, scope: TSESLint.Scope.Scope): string {
  const options = getOptionsObject(node);
  const filename = getStaticOption(options, 'filename', scope);
  const callee = unwrapExpression(node.callee);
  const name = callee.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(callee) : callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined;
  const label = `\`${name ?? 'File'}\` transport`;
  const dirname = getStaticOption(options, 'dirname', scope);
  const path = filename && (dirname ? `${dirname}/${filename}` : filename);
  return path ? `The winston ${label} ('${path}')` : `The winston ${label}`;
}
