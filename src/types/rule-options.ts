import type { Linter } from 'eslint';
import type { TSESLint } from '@typescript-eslint/utils';
import type { rules } from '../rules';

/** The options tuple of a rule module, as its `create` receives them (and its `meta.defaultOptions` has them). */
type OptionsOf<Rule> = Rule extends TSESLint.RuleModule<string, infer Options, infer _Docs, infer _Listener> ? Options : never;

/**
 * Each deploy-safe rule's options, by rule ID (`'deploy-safe/listen-requires-host'`): the tuple after the
 * severity. Taken from the rule modules themselves (the `Options` type each rule is created with, which its
 * `meta.defaultOptions` must satisfy), so it cannot drift from the rules; a meta-test checks it against each
 * rule's JSON schema.
 */
export type RuleOptions = {
  [Id in keyof typeof rules as `deploy-safe/${Id}`]: OptionsOf<(typeof rules)[Id]>;
};

/**
 * A `rules` object with only deploy-safe rules, each entry typed: `{ ... } satisfies DeploySafeRules` in a
 * config where ESLint's own `rules` type is not augmented (typescript-eslint's `tseslint.config()`, or a
 * package manager layout where `@eslint/core` is not reachable from this package).
 */
export type DeploySafeRules = {
  [Id in keyof RuleOptions]?: Linter.RuleEntry<RuleOptions[Id]>;
};

/*
 * ESLint's `rules` type (`Linter.RulesRecord`, `Linter.Config['rules']`, what `defineConfig` checks) is
 * `@eslint/core`'s `RulesConfig` interface, a plain string index (ESLint 9.x and 10; eslint-typegen merges
 * into it the same way). Merging the typed entries into it makes
 * `rules: { 'deploy-safe/listen-requires-host': ['error', { fallbackHost: 42 }] }` a type error in any
 * `eslint.config.ts` that imports this plugin; every other rule ID keeps the index signature.
 */
declare module '@eslint/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the typed entries
  interface RulesConfig extends DeploySafeRules {}
}
