import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { minimatch } from 'minimatch';
import { getPropertyName, unwrapExpression } from '../core/ast';
import { createRule } from '../core/create-rule';
import { isPrismaClientClass, pointsToSeparateDatabase } from '../prisma/prisma-client';
import { findExportedPrismaClients } from '../prisma/prisma-client-export';

export type Options = [
  {
    /** Globs of the one module allowed to create the client; when set, any other instantiation is reported. */
    singletonModule?: string[];
    /** Globs of files where extra clients are fine (tests create their own against a test database). */
    ignoreFiles?: string[];
    /** Accept a client whose options read another database's URL (a second datasource). */
    allowSeparateDatabase?: boolean;
  },
];

export type MessageIds = 'clientPerCall' | 'secondClient' | 'privateClient' | 'outsideSingleton' | 'providerNotExported';

export const DEFAULT_IGNORE_FILES = ['**/*.{test,spec}.*', '**/__tests__/**', '**/test/**', '**/tests/**', '**/e2e/**', '**/__mocks__/**'];

const FUNCTION_TYPES = new Set<string>([
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.FunctionExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
]);

export default createRule<Options, MessageIds>({
  name: 'no-multiple-prisma-clients',
  meta: {
    defaultOptions: [{ ignoreFiles: DEFAULT_IGNORE_FILES, allowSeparateDatabase: true }],
    type: 'problem',
    docs: {
      description: 'Allow one PrismaClient per process: each instance opens its own connection pool',
      recommended: true,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          singletonModule: {
            type: 'array',
            items: { type: 'string' },
            description: 'Globs (relative to the working directory) of the module that owns the client, e.g. `["src/lib/prisma.ts"]`; any other `new PrismaClient()` is reported.',
          },
          ignoreFiles: {
            type: 'array',
            items: { type: 'string' },
            description: 'Globs of files where extra clients are accepted. Defaults to test files (`*.test.*`, `*.spec.*`, `__tests__/`, `test/`, `tests/`, `e2e/`, `__mocks__/`).',
          },
          allowSeparateDatabase: {
            type: 'boolean',
            description: 'Accept a client whose constructor options read another database URL than `DATABASE_URL` (a second datasource has its own pool by design).',
          },
        },
      },
    ],
    messages: {
      clientPerCall:
        '`new PrismaClient()` runs on every call here: each client opens its own connection pool, so under load the database runs out of connections (P2024 pool timeouts, "too many connections"). Import the app\'s shared client instead.',
      secondClient:
        'A second PrismaClient in this module opens a second connection pool against the same database. Use one client.',
      privateClient:
        'This module creates its own PrismaClient instead of importing the shared one: its pool adds to the app\'s and exhausts the database\'s connections (seed 000: server and seed, 2 × 10 connections). Import the exported client.',
      outsideSingleton:
        'PrismaClient is created outside {{singleton}}: every extra client opens its own connection pool. Import the client from {{singleton}}.',
      providerNotExported:
        '`{{provider}}` is listed in this module\'s providers without being exported: every module that does this gets its own instance and connection pool. Provide it once in a PrismaModule that exports it, and import that module.',
    },
  },
  create(context, [{ singletonModule, ignoreFiles = DEFAULT_IGNORE_FILES, allowSeparateDatabase = true }]) {
    const { sourceCode } = context;
    if (!/PrismaClient|Prisma|@Module/.test(sourceCode.text)) return {};
    const relativeFile = relativeToCwd(context.filename, context.cwd);
    if (ignoreFiles.some((glob) => minimatch(relativeFile, glob, { dot: true }))) return {};
    const isSingletonModule = singletonModule?.some((glob) => minimatch(relativeFile, glob, { dot: true }));

    const moduleScopeClients: TSESTree.NewExpression[] = [];

    function enclosingFunction(node: TSESTree.Node): TSESTree.Node | undefined {
      for (let current = node.parent; current; current = current.parent) {
        if (FUNCTION_TYPES.has(current.type) || current.type === AST_NODE_TYPES.PropertyDefinition || current.type === AST_NODE_TYPES.StaticBlock) return current;
      }
      return undefined;
    }

    /** `globalThis.prisma ??= new PrismaClient()`, `if (!client) client = new PrismaClient()`: created once, kept outside the function. */
    function isCachedOutsideFunction(node: TSESTree.NewExpression, scope: TSESLint.Scope.Scope): boolean {
      let child: TSESTree.Node = node;
      let parent = node.parent;
      while (parent && (parent.type === AST_NODE_TYPES.LogicalExpression || parent.type === AST_NODE_TYPES.TSAsExpression || parent.type === AST_NODE_TYPES.ChainExpression)) {
        child = parent;
        parent = parent.parent;
      }
      if (parent?.type !== AST_NODE_TYPES.AssignmentExpression || parent.right !== child) return false;
      const target = unwrapExpression(parent.left);
      if (target.type === AST_NODE_TYPES.MemberExpression) {
        let base = unwrapExpression(target.object);
        while (base.type === AST_NODE_TYPES.MemberExpression) base = unwrapExpression(base.object);
        if (base.type === AST_NODE_TYPES.ThisExpression) return false; // one per instance
        return base.type === AST_NODE_TYPES.Identifier && isModuleOrGlobal(base, scope);
      }
      return target.type === AST_NODE_TYPES.Identifier && isModuleOrGlobal(target, scope);
    }

    /** `const prismaClientSingleton = () => new PrismaClient()` called only at module level: runs once. */
    function isFactoryCalledAtLoad(fn: TSESTree.Node): boolean {
      const binding =
        fn.type === AST_NODE_TYPES.FunctionDeclaration
          ? fn.id
          : fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.id.type === AST_NODE_TYPES.Identifier
            ? fn.parent.id
            : undefined;
      const statement = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn : fn.parent?.parent;
      const container = statement?.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.parent.parent : statement?.parent;
      if (!binding || container?.type !== AST_NODE_TYPES.Program) return false;
      const variable = ASTUtils.findVariable(sourceCode.getScope(fn), binding);
      const calls = variable?.references.filter((reference) => !reference.init && reference.identifier.parent?.type !== AST_NODE_TYPES.TSTypeQuery) ?? [];
      return calls.length > 0 && calls.every((reference) => reference.identifier.parent?.type === AST_NODE_TYPES.CallExpression && !enclosingFunction(reference.identifier));
    }

    function isModuleOrGlobal(identifier: TSESTree.Identifier, scope: TSESLint.Scope.Scope): boolean {
      if (identifier.name === 'globalThis' || identifier.name === 'global') return true;
      const variable = ASTUtils.findVariable(scope, identifier);
      if (!variable) return true; // an undeclared global
      return variable.scope.type === 'module' || variable.scope.type === 'global';
    }

    return {
      NewExpression(node) {
        const scope = sourceCode.getScope(node);
        if (!isPrismaClientClass(node.callee, scope)) return;
        if (allowSeparateDatabase && pointsToSeparateDatabase(node.arguments[0], scope)) return;
        if (singletonModule && singletonModule.length > 0 && !isSingletonModule) {
          context.report({ node, messageId: 'outsideSingleton', data: { singleton: singletonModule.join(', ') } });
          return;
        }
        const fn = enclosingFunction(node);
        if (fn) {
          if (!isCachedOutsideFunction(node, scope) && !isFactoryCalledAtLoad(fn)) context.report({ node, messageId: 'clientPerCall' });
          return;
        }
        moduleScopeClients.push(node);
      },
      Decorator(node) {
        const call = unwrapExpression(node.expression);
        if (call.type !== AST_NODE_TYPES.CallExpression || call.callee.type !== AST_NODE_TYPES.Identifier || call.callee.name !== 'Module') return;
        const metadata = call.arguments[0] && unwrapExpression(call.arguments[0]);
        if (metadata?.type !== AST_NODE_TYPES.ObjectExpression) return;
        const listed = (key: string): TSESTree.Identifier[] => {
          const property = metadata.properties.find((item): item is TSESTree.Property => item.type === AST_NODE_TYPES.Property && getPropertyName(item) === key);
          const array = property && unwrapExpression(property.value);
          return array?.type === AST_NODE_TYPES.ArrayExpression
            ? array.elements.filter((element): element is TSESTree.Identifier => element?.type === AST_NODE_TYPES.Identifier)
            : [];
        };
        const exported = new Set(listed('exports').map((identifier) => identifier.name));
        for (const provider of listed('providers')) {
          if (exported.has(provider.name) || !isPrismaProvider(provider, sourceCode.getScope(provider))) continue;
          context.report({ node: provider, messageId: 'providerNotExported', data: { provider: provider.name } });
        }
      },
      'Program:exit'(program) {
        if (moduleScopeClients.length === 0) return;
        // What the codemod imports from other files is this same analysis: the exported client, and only a client.
        const exported = new Set(findExportedPrismaClients(program, (node) => sourceCode.getScope(node)).flatMap((binding) => binding.constructions));
        moduleScopeClients.forEach((client, index) => {
          if (index > 0) context.report({ node: client, messageId: 'secondClient' });
          else if (!exported.has(client) && !isSingletonModule) context.report({ node: client, messageId: 'privateClient' });
        });
      },
    };
  },
});

/** A provider class that is a PrismaClient: it extends one in this file, or is the conventional `PrismaService`. */
function isPrismaProvider(provider: TSESTree.Identifier, scope: TSESLint.Scope.Scope): boolean {
  const definition = ASTUtils.findVariable(scope, provider)?.defs[0];
  if (definition?.type === 'ClassName' && definition.node.type === AST_NODE_TYPES.ClassDeclaration) {
    return definition.node.superClass !== null && definition.node.superClass !== undefined && isPrismaClientClass(definition.node.superClass, scope);
  }
  return /^Prisma(?:Service|Client)$/.test(provider.name);
}

function relativeToCwd(filename: string, cwd: string): string {
  const normalized = filename.split('\\').join('/');
  const base = cwd.split('\\').join('/').replace(/\/$/, '');
  return normalized.startsWith(`${base}/`) ? normalized.slice(base.length + 1) : normalized;
}
