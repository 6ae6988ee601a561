import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, unwrapExpression } from '../core/ast';
import { getImportBinding, getRequiredModule } from '../core/module-source';

type Scope = TSESLint.Scope.Scope;

/** What builds a node-postgres pool: Prisma 7's adapter (it creates a `pg.Pool` from its config) or the pool itself. */
export type PgPoolConstructor = 'PrismaPg' | 'Pool';

/** The modules and exported names that construct a `pg.Pool` from pool options. */
const POOL_EXPORTS: Record<string, Record<string, PgPoolConstructor>> = {
  '@prisma/adapter-pg': { PrismaPg: 'PrismaPg' },
  pg: { Pool: 'Pool' },
  'pg-pool': { default: 'Pool' },
};

/**
 * `new PrismaPg(…)` (from `@prisma/adapter-pg`), `new Pool(…)` / `new pg.Pool(…)` (from `pg`), `new
 * Pool(…)` from `pg-pool`: which of the two it is, recognised by the binding's module, never by the
 * bare name (a `Pool` from a worker-pool library is not a database pool).
 */
export function pgPoolConstructorOf(node: TSESTree.NewExpression, scope: Scope): PgPoolConstructor | undefined {
  const callee = unwrapExpression(node.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const source = importedName(callee, scope);
    return source && POOL_EXPORTS[source.module]?.[source.name];
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const name = getPropertyName(callee);
  const object = unwrapExpression(callee.object);
  if (!name) return undefined;
  if (object.type === AST_NODE_TYPES.Identifier) {
    const source = importedName(object, scope);
    // `import pg from 'pg'`, `import * as pg from 'pg'`, `const pg = require('pg')`.
    if (source && (source.name === 'default' || source.name === '*')) return POOL_EXPORTS[source.module]?.[name];
    return undefined;
  }
  const module = getRequiredModule(object);
  return module ? POOL_EXPORTS[module]?.[name] : undefined;
}

/** The module and exported name an identifier is bound to: `import { a as b }`, `const { a: b } = require(m)`, `const b = require(m).a`. */
function importedName(identifier: TSESTree.Identifier, scope: Scope): { module: string; name: string } | undefined {
  const definition = ASTUtils.findVariable(scope, identifier)?.defs[0];
  if (!definition) return undefined;
  if (definition.type === 'ImportBinding') {
    const binding = getImportBinding(definition);
    return binding && { module: binding.module, name: binding.imported };
  }
  const declarator = definition.node;
  if (declarator.type !== AST_NODE_TYPES.VariableDeclarator || !declarator.init) return undefined;
  const init = unwrapExpression(declarator.init);
  if (declarator.id.type === AST_NODE_TYPES.ObjectPattern) {
    const module = getRequiredModule(init);
    const property = declarator.id.properties.find(
      (candidate): candidate is TSESTree.Property => candidate.type === AST_NODE_TYPES.Property && unwrapPattern(candidate.value) === identifier.name,
    );
    const name = property && getPropertyName(property);
    return module && name ? { module, name } : undefined;
  }
  if (init.type === AST_NODE_TYPES.MemberExpression) {
    const module = getRequiredModule(init.object);
    const name = getPropertyName(init);
    if (module && name) return { module, name };
  }
  const module = getRequiredModule(init);
  // `require('pg-pool')` is the class itself; `require('pg')` the namespace.
  return module ? { module, name: 'default' } : undefined;
}

function unwrapPattern(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.AssignmentPattern && node.left.type === AST_NODE_TYPES.Identifier) return node.left.name;
  return undefined;
}
