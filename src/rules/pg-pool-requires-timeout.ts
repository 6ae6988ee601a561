import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findProperty, unwrapExpression } from '../core/ast';
import { createRule } from '../core/create-rule';
import { IGNORE_TEST_AND_SCRIPT_FILES_SCHEMA, isIgnoredFile, TEST_AND_SCRIPT_FILE_GLOBS } from '../core/test-files';
import { addPropertyFix } from '../fix/object-property';
import { pgPoolConstructorOf, type PgPoolConstructor } from '../prisma/pg-pool';
import { envVariableRead } from '../server/server-listen';

export type Options = [
  {
    /** The acquire timeout the fix writes, in milliseconds. */
    connectionTimeoutMillis?: number;
    /** The pool size the `max` suggestion writes. */
    max?: number;
    /** Globs of files the rule skips (tests and seeds/scripts by default: no request waits on their pool). */
    ignoreFiles?: readonly string[];
  },
];

export type MessageIds = 'prismaPgWithoutTimeout' | 'poolWithoutTimeout' | 'connectionStringWithoutTimeout' | 'zeroTimeout' | 'setMax' | 'setTimeout';

// pg's own defaults (pg-pool): `max` 10, `connectionTimeoutMillis` 0 = wait forever. Prisma 6 failed a
// query with P2024 after `pool_timeout`, 10 s by default: the fix restores that bound.
const DEFAULT_TIMEOUT_MS = 10_000;
const PG_DEFAULT_MAX = 10;

const MIGHT_MATCH = /PrismaPg|Pool/;

export default createRule<Options, MessageIds>({
  name: 'pg-pool-requires-timeout',
  meta: {
    defaultOptions: [{ connectionTimeoutMillis: DEFAULT_TIMEOUT_MS, max: PG_DEFAULT_MAX, ignoreFiles: TEST_AND_SCRIPT_FILE_GLOBS }],
    type: 'problem',
    docs: {
      description:
        'Require `connectionTimeoutMillis` on Prisma 7 `PrismaPg` adapters and `pg` pools: without it a query waits forever for a free connection',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          connectionTimeoutMillis: {
            type: 'integer',
            minimum: 1,
            description:
              "How long a query may wait for a free connection (and for a new one to connect) before it fails, in milliseconds: what the fix writes. `10000` by default, Prisma 6's `pool_timeout`; keep it well below your platform's request timeout.",
          },
          max: {
            type: 'integer',
            minimum: 1,
            description: "The pool size the `max` suggestion writes. `10` by default, pg's own default made explicit.",
          },
          ignoreFiles: IGNORE_TEST_AND_SCRIPT_FILES_SCHEMA,
        },
      },
    ],
    messages: {
      prismaPgWithoutTimeout:
        "`new PrismaPg()` builds a pg pool without `connectionTimeoutMillis`: when all {{max}} connections are busy, a query waits for a free one forever instead of failing, and the request hangs until the platform's proxy gives up. Prisma 7 ignores `connection_limit` and `pool_timeout` in the database URL. Set `connectionTimeoutMillis: {{timeout}}` (and `max`) in the adapter's options.",
      poolWithoutTimeout:
        "This pg `Pool` has no `connectionTimeoutMillis`: when all {{max}} connections are busy, a query waits for a free one forever instead of failing, and the request hangs until the platform's proxy gives up. Set `connectionTimeoutMillis: {{timeout}}` (and `max`).",
      connectionStringWithoutTimeout:
        "`new PrismaPg(connectionString)` builds a pg pool with no `connectionTimeoutMillis`: when all 10 connections are busy, a query waits for a free one forever instead of failing, and the request hangs until the platform's proxy gives up. Prisma 7 ignores `connection_limit` and `pool_timeout` in the URL. Pass options instead: `{ connectionString, connectionTimeoutMillis: {{timeout}} }`.",
      zeroTimeout:
        '`connectionTimeoutMillis: 0` means no timeout: when all connections are busy, a query waits for a free one forever and the request hangs until the platform\'s proxy gives up. Set a bound such as {{timeout}}.',
      setMax:
        "Set `max: {{max}}` explicitly (pg's default is 10 per pool): instances × `max` must stay below the database's `max_connections`.",
      setTimeout: 'Set `connectionTimeoutMillis: {{timeout}}`.',
    },
  },
  create(context, [{ connectionTimeoutMillis = DEFAULT_TIMEOUT_MS, max = PG_DEFAULT_MAX, ignoreFiles = TEST_AND_SCRIPT_FILE_GLOBS }]) {
    const { sourceCode } = context;
    if (!MIGHT_MATCH.test(sourceCode.text)) return {};
    // A test's pool, or a seed's that runs its queries one after another: no request hangs on it behind a proxy.
    if (isIgnoredFile(context.filename, context.cwd, ignoreFiles)) return {};
    const timeoutProperty = `connectionTimeoutMillis: ${connectionTimeoutMillis}`;
    const data = { timeout: String(connectionTimeoutMillis), max: String(max) };

    /** The options object a pool is built from: inline, or a `const` in this file read only here. */
    function optionsObject(argument: TSESTree.Node, scope: TSESLint.Scope.Scope): TSESTree.ObjectExpression | undefined {
      const expression = unwrapExpression(argument);
      if (expression.type === AST_NODE_TYPES.ObjectExpression) return expression;
      if (expression.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = ASTUtils.findVariable(scope, expression);
      const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      if (definition?.node.type !== AST_NODE_TYPES.VariableDeclarator || definition.node.id.type !== AST_NODE_TYPES.Identifier) return undefined;
      if (definition.parent?.type !== AST_NODE_TYPES.VariableDeclaration || definition.parent.kind !== 'const') return undefined;
      // Read anywhere else (spread into another config, mutated, exported), it is built elsewhere in effect.
      if (variable!.references.filter((reference) => !reference.init).length !== 1) return undefined;
      const init = definition.node.init && unwrapExpression(definition.node.init);
      return init?.type === AST_NODE_TYPES.ObjectExpression ? init : undefined;
    }

    function checkOptions(node: TSESTree.NewExpression, kind: PgPoolConstructor, object: TSESTree.ObjectExpression): void {
      const timeout = findProperty(object, 'connectionTimeoutMillis');
      if (timeout) {
        const value = unwrapExpression(timeout.value);
        if (value.type === AST_NODE_TYPES.Literal && value.value === 0) {
          context.report({
            node: timeout,
            messageId: 'zeroTimeout',
            data,
            suggest: [{ messageId: 'setTimeout', data, fix: (fixer) => fixer.replaceText(timeout.value, String(connectionTimeoutMillis)) }],
          });
        }
        return;
      }
      // A spread may carry the timeout: built elsewhere.
      if (object.properties.some((property) => property.type === AST_NODE_TYPES.SpreadElement)) return;
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = findProperty(object, 'max')
        ? []
        : [{ messageId: 'setMax', data, fix: addPropertyFix(sourceCode, object, `max: ${max}, ${timeoutProperty}`) }];
      const configuredMax = findProperty(object, 'max');
      const maxValue = configuredMax && unwrapExpression(configuredMax.value);
      const maxText = maxValue?.type === AST_NODE_TYPES.Literal && typeof maxValue.value === 'number' ? String(maxValue.value) : configuredMax ? '`max`' : '10';
      context.report({
        node: node.callee,
        messageId: kind === 'PrismaPg' ? 'prismaPgWithoutTimeout' : 'poolWithoutTimeout',
        data: { ...data, max: maxText },
        fix: addPropertyFix(sourceCode, object, timeoutProperty),
        suggest,
      });
    }

    return {
      NewExpression(node) {
        const scope = sourceCode.getScope(node);
        const kind = pgPoolConstructorOf(node, scope);
        if (!kind) return;
        const [argument] = node.arguments;
        if (!argument) {
          // `new Pool()`: PG* environment variables and pg's defaults, no timeout.
          if (kind !== 'Pool') return;
          const closing = sourceCode.getLastToken(node)!;
          const hasParentheses = closing.value === ')';
          context.report({
            node: node.callee,
            messageId: 'poolWithoutTimeout',
            data,
            fix: (fixer) =>
              hasParentheses
                ? fixer.insertTextBefore(closing, `{ ${timeoutProperty} }`)
                : fixer.insertTextAfter(node.callee, `({ ${timeoutProperty} })`),
          });
          return;
        }
        if (argument.type === AST_NODE_TYPES.SpreadElement) return;
        const object = optionsObject(argument, scope);
        if (object) return checkOptions(node, kind, object);
        if (kind === 'PrismaPg' && isConnectionString(argument)) {
          context.report({
            node: node.callee,
            messageId: 'connectionStringWithoutTimeout',
            data,
            fix: (fixer) => fixer.replaceText(argument, `{ connectionString: ${sourceCode.getText(argument)}, ${timeoutProperty} }`),
          });
        }
      },
    };
  },
});

/** A value that can only be a connection string: a string literal or template, `process.env.X` (with `!` or a string fallback). */
function isConnectionString(node: TSESTree.Node): boolean {
  const expression = unwrapExpression(node);
  if (expression.type === AST_NODE_TYPES.Literal) return typeof expression.value === 'string';
  if (expression.type === AST_NODE_TYPES.TemplateLiteral) return true;
  if (expression.type === AST_NODE_TYPES.LogicalExpression) return isConnectionString(expression.left) && isConnectionString(expression.right);
  return envVariableRead(expression) !== undefined;
}
