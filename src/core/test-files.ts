import { Minimatch } from 'minimatch';

/**
 * Files that never run in a deployed service: tests, end-to-end suites, mocks and fixtures. A finding
 * there costs the user's trust and protects nothing, so the rules that read app code skip them by
 * default (each rule's `ignoreFiles` option; `[]` checks them too).
 */
export const TEST_FILE_GLOBS: readonly string[] = [
  '**/*.{test,spec}.*',
  '**/*.e2e-spec.*',
  '**/__tests__/**',
  '**/test/**',
  '**/tests/**',
  '**/e2e/**',
  '**/__mocks__/**',
  '**/playwright/**',
  '**/cypress/**',
];

/** The schema entry of an `ignoreFiles` option, the same wording in every rule. */
export const IGNORE_FILES_SCHEMA = {
  type: 'array',
  items: { type: 'string' },
  description:
    'Globs (relative to the working directory) of files the rule skips. Defaults to tests, end-to-end suites and mocks (`*.test.*`, `*.spec.*`, `*.e2e-spec.*`, `__tests__/`, `test/`, `tests/`, `e2e/`, `__mocks__/`, `playwright/`, `cypress/`); `[]` checks them too.',
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
