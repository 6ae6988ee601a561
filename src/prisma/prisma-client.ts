import { parse } from '@typescript-eslint/typescript-estree';
import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, unwrapExpression, walk } from '../core/ast';
import { getImportBinding, getRequiredModule } from '../core/module-source';

type Scope = TSESLint.Scope.Scope;

/**
 * Modules a `PrismaClient` class comes from: `@prisma/client`, and the clients Prisma 7 generates into
 * the project (`../generated/prisma/client`, `@/generated/prisma`, custom outputs named for Prisma).
 */
export function isPrismaClientModule(specifier: string): boolean {
  return specifier === '@prisma/client' || specifier.startsWith('@prisma/client/') || /(?:^|[/@.-])prisma(?:[/.-]|$)/i.test(specifier);
}

function importedName(definition: TSESLint.Scope.Definition, scope: Scope): { module: string; imported: string } | undefined {
  if (definition.type === 'ImportBinding') {
    const binding = getImportBinding(definition);
    // A default import of a client module is the module object, as a namespace import is.
    return binding && { module: binding.module, imported: binding.imported === 'default' ? '*' : binding.imported };
  }
  if (definition.node.type === AST_NODE_TYPES.VariableDeclarator && definition.node.init) {
    // `import pkg from '@prisma/client'; const { PrismaClient } = pkg;` (ESM importing the CommonJS client).
    const module = getRequiredModule(definition.node.init) ?? importedModuleObject(definition.node.init, scope);
    if (!module) return undefined;
    if (definition.node.id.type === AST_NODE_TYPES.ObjectPattern) {
      for (const property of definition.node.id.properties) {
        if (property.type === AST_NODE_TYPES.Property && property.value.type === AST_NODE_TYPES.Identifier && definition.name.type === AST_NODE_TYPES.Identifier && property.value.name === definition.name.name) {
          return { module, imported: getPropertyName(property) ?? '' };
        }
      }
      return undefined;
    }
    const init = unwrapExpression(definition.node.init);
    if (init.type === AST_NODE_TYPES.MemberExpression) return { module, imported: getPropertyName(init) ?? '' };
    return { module, imported: '*' };
  }
  return undefined;
}

/** The module an identifier names when it is a default or namespace import (the module object itself). */
function importedModuleObject(init: TSESTree.Node, scope: Scope): string | undefined {
  const expression = unwrapExpression(init);
  if (expression.type !== AST_NODE_TYPES.Identifier) return undefined;
  const definition = ASTUtils.findVariable(scope, expression)?.defs[0];
  const origin = definition?.type === 'ImportBinding' ? getImportBinding(definition) : undefined;
  return origin && (origin.imported === 'default' || origin.imported === '*') ? origin.module : undefined;
}

/**
 * Whether `callee` of a `new` is Prisma's client class, however it arrived: a named or aliased import,
 * a destructured `require`, a namespace (`new Prisma.PrismaClient()`), `require('@prisma/client').PrismaClient`.
 */
export function isPrismaClientClass(callee: TSESTree.Node, scope: Scope): boolean {
  const expression = unwrapExpression(callee);
  if (expression.type === AST_NODE_TYPES.Identifier) {
    const definition = ASTUtils.findVariable(scope, expression)?.defs[0];
    const origin = definition && importedName(definition, scope);
    return origin !== undefined && origin.imported === 'PrismaClient' && isPrismaClientModule(origin.module);
  }
  if (expression.type === AST_NODE_TYPES.MemberExpression && getPropertyName(expression) === 'PrismaClient') {
    const required = getRequiredModule(expression.object);
    if (required) return isPrismaClientModule(required);
    const object = unwrapExpression(expression.object);
    if (object.type !== AST_NODE_TYPES.Identifier) return false;
    const definition = ASTUtils.findVariable(scope, object)?.defs[0];
    const origin = definition && importedName(definition, scope);
    return origin !== undefined && origin.imported === '*' && isPrismaClientModule(origin.module);
  }
  return false;
}

/** The environment variables a constructor's options read (`process.env.X`, `env('X')`), one hop through consts. */
export function environmentNamesIn(node: TSESTree.Node, scope: Scope, depth = 0): string[] {
  const names: string[] = [];
  walk(node, (current) => {
    if (current.type === AST_NODE_TYPES.MemberExpression) {
      const object = unwrapExpression(current.object);
      if (object.type === AST_NODE_TYPES.MemberExpression && getPropertyName(object) === 'env') {
        const name = getPropertyName(current);
        if (name) names.push(name);
      }
    }
    if (current.type === AST_NODE_TYPES.Identifier && depth < 2 && current.parent?.type !== AST_NODE_TYPES.MemberExpression) {
      const variable = ASTUtils.findVariable(scope, current);
      const definition = variable?.defs[0];
      if (definition?.node.type === AST_NODE_TYPES.VariableDeclarator && definition.node.init && definition.node.init !== node) {
        names.push(...environmentNamesIn(definition.node.init, scope, depth + 1));
      }
    }
  });
  return names;
}

const DEFAULT_DATABASE_VARIABLES = new Set(['DATABASE_URL', 'DIRECT_URL', 'DIRECT_DATABASE_URL', 'POSTGRES_PRISMA_URL', 'POSTGRES_URL']);

/**
 * Whether a client's options point at another database than the app's main one: they read a
 * connection variable other than the default ones (`ANALYTICS_DATABASE_URL`), or a literal URL.
 */
export function pointsToSeparateDatabase(options: TSESTree.Node | undefined, scope: Scope): boolean {
  if (!options) return false;
  const connectionVariables = environmentNamesIn(options, scope).filter((name) => /URL|DATABASE|DB_|_DB|DSN|CONNECTION/i.test(name));
  if (connectionVariables.some((name) => !DEFAULT_DATABASE_VARIABLES.has(name))) return true;
  let literalUrl = false;
  walk(options, (current) => {
    if (current.type === AST_NODE_TYPES.Literal && typeof current.value === 'string' && /^(?:postgres(?:ql)?|mysql|sqlserver|mongodb(?:\+srv)?|file|prisma(?:\+postgres)?):/i.test(current.value)) literalUrl = true;
  });
  return literalUrl;
}

/** Where a client connects: the rule has already told these apart (a client for another database is not reported). */
const CONNECTION_OPTIONS = new Set(['adapter', 'datasourceUrl', 'datasources', 'accelerateUrl']);

/**
 * A client's constructor options without its connection, compared as code (comments and layout do not
 * count): `{ log: ['query'], adapter }` → `log:['query']`. Options that are not an object literal are
 * kept whole. Two clients with different settings behave differently (logging, timeouts, omitted fields).
 */
export function clientSettings(text: string | undefined): string {
  if (!text || text.trim() === '') return '';
  const normalize = (code: string): string => code.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '').replace(/\s+/g, '').replace(/,(?=[}\]])/g, '');
  let expression: TSESTree.Node | undefined;
  try {
    const statement = parse(`(${text})`, { range: true }).body[0];
    expression = statement?.type === 'ExpressionStatement' ? statement.expression : undefined;
  } catch {
    return normalize(text);
  }
  if (expression?.type !== 'ObjectExpression') return normalize(text);
  return expression.properties
    .filter((property) => !(property.type === 'Property' && property.key.type === 'Identifier' && CONNECTION_OPTIONS.has(property.key.name)))
    .map((property) => normalize(text.slice(property.range[0] - 1, property.range[1] - 1)))
    .sort()
    .join(',');
}
