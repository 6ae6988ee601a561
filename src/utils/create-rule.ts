import { ESLintUtils } from '@typescript-eslint/utils';

export interface DeploySafeDocs {
  description: string;
  /** Enabled in `recommended`. */
  recommended?: boolean;
  requiresTypeChecking?: false;
}

export const REPOSITORY_URL = 'https://github.com/deploy-safe/eslint-plugin-deploy-safe';

export const createRule = ESLintUtils.RuleCreator<DeploySafeDocs>(
  (name) => `${REPOSITORY_URL}/blob/main/docs/rules/${name}.md`,
);
