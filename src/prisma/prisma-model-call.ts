import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { getPropertyName, unwrapExpression } from '../core/ast';

export interface ModelCall {
  call: TSESTree.CallExpression;
  /** `prisma`, `this.prisma`, `tx`, `db` … as written. */
  receiver: TSESTree.Expression;
  model: string;
  method: string;
}

/**
 * `<client>.<model>.<method>(...)` — `prisma.user.create()`, `this.prisma.user.findUnique()`,
 * `tx.achievement.upsert()`. Prisma's own `$`-methods are not model calls.
 */
export function getModelCall(node: TSESTree.Node): ModelCall | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = unwrapExpression(node.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = getPropertyName(callee);
  const modelAccess = unwrapExpression(callee.object);
  if (!method || modelAccess.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const model = getPropertyName(modelAccess);
  if (!model || model.startsWith('$')) return undefined;
  return { call: node, receiver: modelAccess.object, model, method };
}

export const READ_METHODS = new Set(['findUnique', 'findFirst', 'findUniqueOrThrow', 'findFirstOrThrow']);
