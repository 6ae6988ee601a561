import type { ESLint, Linter } from 'eslint';

/** Rules that run on package.json and deploy files (Dockerfile, Procfile, platform configs), not on code. */
export const DEPLOY_FILE_RULES: readonly string[] = [];

/** Flat config entries that parse deploy files and enable the deploy-file rules on them. */
export function deployFileConfigs(_plugin: ESLint.Plugin): Linter.Config[] {
  return [];
}

/** The same for ESLint 8's `.eslintrc` (`overrides` entries). */
export function legacyDeployFileOverrides(): NonNullable<Linter.LegacyConfig['overrides']> {
  return [];
}
