import { Minimatch } from 'minimatch';

/**
 * Files that never run in a deployed service: tests, end-to-end suites, mocks and fixtures. A finding
 * there costs the user's trust and protects nothing, so the rules that read app code skip them by
 * default (each rule's `ignoreFiles` option; `[]` checks them too).
 */
export const TEST_FILE_GLOBS: readonly string[] = [
  '**/*.{test,spec}.*',
  '**/*.e2e-spec.*',
  '**/*.e2e.*',
  '**/__tests__/**',
  '**/test/**',
  '**/tests/**',
  '**/e2e/**',
  '**/__mocks__/**',
  '**/playwright/**',
  '**/cypress/**',
  '**/{playwright,vitest,jest,cypress}.config.*',
];

/**
 * Scripts that run as their own short process and exit: seeds, backfills, one-off scripts. No request waits
 * on them, so advice about requests hanging behind a platform's proxy does not fit there.
 */
export const SCRIPT_FILE_GLOBS: readonly string[] = ['**/prisma/seed.*', '**/seed.*', '**/seeds/**', '**/scripts/**'];

/** Tests and scripts: the default `ignoreFiles` of rules whose failure is a request that hangs. */
export const TEST_AND_SCRIPT_FILE_GLOBS: readonly string[] = [...TEST_FILE_GLOBS, ...SCRIPT_FILE_GLOBS];

/** The schema entry of an `ignoreFiles` option, the same wording in every rule. */
export const IGNORE_FILES_SCHEMA = {
  type: 'array',
  items: { type: 'string' },
  description:
    'Globs (relative to the working directory) of files the rule skips. Defaults to tests, end-to-end suites and mocks (`*.test.*`, `*.spec.*`, `*.e2e-spec.*`, `*.e2e.*`, `__tests__/`, `test/`, `tests/`, `e2e/`, `__mocks__/`, `playwright/`, `cypress/`, and the Playwright, Vitest, Jest and Cypress configs); `[]` checks them too.',
} as const;

/** `ignoreFiles` for a rule that also skips scripts by default. */
export const IGNORE_TEST_AND_SCRIPT_FILES_SCHEMA = {
  type: 'array',
  items: { type: 'string' },
  description:
    'Globs (relative to the working directory) of files the rule skips. Defaults to tests, end-to-end suites and mocks (as in the other rules) and scripts that run as their own process (`prisma/seed.*`, `seed.*`, `seeds/`, `scripts/`); `[]` checks them too.',
} as const;

/** `filename` relative to ESLint's working directory, with forward slashes. */
export function relativeToCwd(filename: string, cwd: string): string {
  const normalized = filename.split('\\').join('/');
  const base = cwd.split('\\').join('/').replace(/\/$/, '');
  return normalized.startsWith(`${base}/`) ? normalized.slice(base.length + 1) : normalized;
}

// Compiled once per globs array: rule options are the same frozen array for every file of a
// configuration (see create-rule.ts), and compiling nine globs per file cost more than the rules.
const compiled = new WeakMap<readonly string[], Minimatch[]>();

/** Whether the file matches one of the globs, relative to ESLint's working directory. */
export function isIgnoredFile(filename: string, cwd: string, globs: readonly string[]): boolean {
  let matchers = compiled.get(globs);
  if (!matchers) {
    matchers = globs.map((glob) => new Minimatch(glob, { dot: true }));
    compiled.set(globs, matchers);
  }
  const file = relativeToCwd(filename, cwd);
  return matchers.some((matcher) => matcher.match(file));
}
