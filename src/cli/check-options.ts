/**
 * The options module `check --concurrency` hands ESLint (ESLint.fromOptionsModule): each worker thread
 * imports it and gets the same options `check` uses, rebuilt from DEPLOY_SAFE_CHECK_OPTIONS.
 */
import type { ESLint } from 'eslint';
import { projectLinterOptions } from './check';

const { dir, skip, concurrency } = JSON.parse(process.env.DEPLOY_SAFE_CHECK_OPTIONS ?? '{}') as { dir: string; skip: string[]; concurrency: number | 'auto' };

const options: ESLint.Options = { ...projectLinterOptions(dir, skip), concurrency };

// `export =`: ESLint imports this CommonJS module and takes its `module.exports` as the options.
export = options;
