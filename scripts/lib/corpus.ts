/**
 * The corpus the benchmark and the sweep run on: real JS/TS sources, by default those installed under
 * the project's own `node_modules` (tens of thousands of files written by other people, in every
 * style), or any directory given on the command line. Collection is deterministic: paths are sorted,
 * and a sample (`limit`) is drawn with a seeded generator, so a run can be repeated exactly.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

export const CODE_EXTENSIONS = ['.js', '.cjs', '.mjs', '.jsx', '.ts', '.cts', '.mts', '.tsx'];

export interface CorpusOptions {
  /** Directory to walk; default: `<project>/node_modules`. */
  dir?: string;
  /** File extensions to take (with the dot); default: `CODE_EXTENSIONS`. */
  extensions?: readonly string[];
  /** Also take declaration files (`.d.ts`): ESLint lints them with `**\/*.ts`; codemods skip them. Default false. */
  includeDeclarations?: boolean;
  /** Also take every `package.json` (the deploy-file rules and codemods read them). */
  includePackageJson?: boolean;
  /** Files larger than this are left out (with a note); default 300 KB. `Infinity` keeps them all. */
  maxBytes?: number;
  /** Leave out minified bundles (`*.min.*`, or long average lines); default true. */
  skipMinified?: boolean;
  /** Take a seeded random sample of this many files. */
  limit?: number;
  /** Seed of the sample; default 1. */
  seed?: number;
}

export interface Corpus {
  root: string;
  /** Absolute paths, sorted. */
  files: string[];
  /** How many candidate files were found before the size, minified and sample filters. */
  candidates: number;
  totalBytes: number;
  excluded: {
    declarations: number;
    tooLarge: string[];
    minified: string[];
    /** Entries that could not be stat'ed or read (dangling symlinks, permissions). */
    unreadable: string[];
  };
  /** One line per filter that left something out, for the report. */
  notes: string[];
}

/** Markers of the sweep's section in docs/benchmark.md (the bench rewrites the rest of that page). */
export const SWEEP_BEGIN = '<!-- begin sweep results -->';
export const SWEEP_END = '<!-- end sweep results -->';

export const DEFAULT_MAX_BYTES = 300 * 1024;
const MINIFIED_AVERAGE_LINE = 300;
const PROBE_BYTES = 16 * 1024;

export function projectRoot(): string {
  return resolve(__dirname, '..', '..');
}

/** mulberry32: a tiny seeded generator, so `--seed 7` picks the same files on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic sample of `limit` items (all of them when `limit` is not smaller), sorted. */
export function sample<T>(items: readonly T[], limit: number | undefined, seed = 1): T[] {
  if (limit === undefined || limit >= items.length) return [...items];
  const random = seededRandom(seed);
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy.slice(0, Math.max(0, limit)).sort();
}

function isDeclaration(name: string): boolean {
  return /\.d\.(?:ts|mts|cts)$/.test(name) || /\.d\.[^.]+\.ts$/.test(name);
}

/** Bundles are one long line per module or less: the average line length of the first 16 KB tells. */
function looksMinified(path: string, bytes: number): boolean {
  if (/\.min\.[cm]?[jt]sx?$/.test(path)) return true;
  if (bytes < 2048) return false;
  const buffer = Buffer.alloc(Math.min(bytes, PROBE_BYTES));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  let lines = 1;
  for (const byte of buffer) if (byte === 0x0a) lines++;
  return buffer.length / lines > MINIFIED_AVERAGE_LINE;
}

export function collectCorpus(options: CorpusOptions = {}): Corpus {
  const root = resolve(options.dir ?? join(projectRoot(), 'node_modules'));
  const extensions = new Set(options.extensions ?? CODE_EXTENSIONS);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const skipMinified = options.skipMinified ?? true;
  const excluded: Corpus['excluded'] = { declarations: 0, tooLarge: [], minified: [], unreadable: [] };
  const kept: { path: string; bytes: number }[] = [];
  let candidates = 0;

  const walk = (directory: string): void => {
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      excluded.unreadable.push(directory);
      return;
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      // Symlinks are not followed: node_modules/.bin and workspace links point at files already walked,
      // and a link cycle would never end.
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(path);
        continue;
      }
      if (!entry.isFile()) continue;
      const isPackageJson = options.includePackageJson === true && entry.name === 'package.json';
      if (!isPackageJson && !extensions.has(extname(entry.name))) continue;
      if (isDeclaration(entry.name) && options.includeDeclarations !== true) {
        excluded.declarations++;
        continue;
      }
      candidates++;
      let bytes: number;
      try {
        bytes = statSync(path).size;
        if (bytes > maxBytes) {
          excluded.tooLarge.push(path);
          continue;
        }
        if (skipMinified && !isPackageJson && looksMinified(path, bytes)) {
          excluded.minified.push(path);
          continue;
        }
      } catch {
        excluded.unreadable.push(path);
        continue;
      }
      kept.push({ path, bytes });
    }
  };
  walk(root);

  kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const chosen = sample(kept, options.limit, options.seed ?? 1);
  const notes: string[] = [];
  if (excluded.declarations > 0) notes.push(`${excluded.declarations} declaration files (.d.ts) left out: types only, no code to lint or rewrite`);
  if (excluded.tooLarge.length > 0) notes.push(`${excluded.tooLarge.length} files over ${Math.round(maxBytes / 1024)} KB left out (generated bundles and tables; use --max-kb to include them)`);
  if (excluded.minified.length > 0) notes.push(`${excluded.minified.length} minified files left out (*.min.* or average line > ${MINIFIED_AVERAGE_LINE} characters; use --include-minified)`);
  if (excluded.unreadable.length > 0) notes.push(`${excluded.unreadable.length} entries could not be read`);
  if (options.limit !== undefined && options.limit < kept.length) notes.push(`sample of ${chosen.length} of ${kept.length} files (seed ${options.seed ?? 1})`);
  return {
    root,
    files: chosen.map((file) => file.path),
    candidates,
    totalBytes: chosen.reduce((sum, file) => sum + file.bytes, 0),
    excluded,
    notes,
  };
}

/** Shared command-line flags of the bench and the sweep: `[dir] --limit N --seed S --max-kb K --include-minified`. */
export interface CorpusArgs extends CorpusOptions {
  rest: Record<string, string | boolean>;
}

export function parseCorpusArgs(argv: readonly string[]): CorpusArgs {
  const args: CorpusArgs = { rest: {} };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const [flag, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++index];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    const number = (): number => {
      const raw = value();
      const parsed = Number(raw);
      if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag} needs a non-negative number, got "${raw}"`);
      return parsed;
    };
    switch (flag) {
      case '--limit':
        args.limit = Math.floor(number());
        break;
      case '--seed':
        args.seed = Math.floor(number());
        break;
      case '--max-kb':
        args.maxBytes = number() * 1024;
        break;
      case '--include-minified':
        args.skipMinified = false;
        break;
      default:
        if (flag.startsWith('--')) args.rest[flag.slice(2)] = inline ?? (argv[index + 1] && !argv[index + 1].startsWith('--') ? argv[++index] : true);
        else if (args.dir === undefined) args.dir = flag;
        else throw new Error(`unexpected argument: ${flag}`);
    }
  }
  return args;
}

export function describeCorpus(corpus: Corpus): string {
  const lines = [`corpus: ${corpus.files.length} files, ${(corpus.totalBytes / 1e6).toFixed(1)} MB, under ${corpus.root}`];
  for (const note of corpus.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
