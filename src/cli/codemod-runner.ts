/**
 * Runs the codemods inside the `deploy-safe fix` process, as jscodeshift's runner would run each
 * transform (same file info, API and statuses), so the codemods share one lint of each file per pass
 * (see SharedFindings in codemods/lib/apply-rule-fixes.ts) instead of each parsing every file again
 * in a process of its own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Linter } from 'eslint';
import type { API, FileInfo, Options } from 'jscodeshift';
import type { SharedFindings } from '../../codemods/lib/apply-rule-fixes';
import { takeLinkedWrites } from '../../codemods/lib/linked-writes';
import { isCodeFile } from './lint-dependencies';

export interface CodemodOutcome {
  codemod: string;
  files: number;
  changed: number;
  unchanged: number;
  skipped: number;
  failed: number;
  /** `file: message` lines the codemod reported (sites it left alone, baseline steps...). */
  reports: string[];
  /** Files that did not parse, left untouched. */
  unparsable: string[];
  errors: string[];
}

type Transform = (file: FileInfo, api: API, options: Options) => string | null | undefined | Promise<string | null | undefined>;

interface TransformModule {
  default?: unknown;
  parser?: unknown;
}

/** The transform a module exports (`export default`, or `module.exports = fn`) and the parser it asks for. */
function loadTransform(path: string): { transform: Transform; parser: unknown } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(path) as TransformModule | Transform;
  const transform = typeof (loaded as TransformModule).default === 'function' ? (loaded as TransformModule).default : loaded;
  if (typeof transform !== 'function') throw new Error(`${path} exports no transform function`);
  return { transform: transform as Transform, parser: (loaded as TransformModule).parser ?? 'babel' };
}

function relativePath(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}

/**
 * One codemod over `files` (absolute paths under `root`), in this process: a file is written only
 * when the transform returns different text (its relative path is added to `written`, and so is a
 * file it wrote alongside, the pair added to `linked`); what it
 * reports is collected as jscodeshift's `REP` lines would be; an exception fails that file only, as
 * in jscodeshift.
 */
export async function runCodemod(
  codemod: string,
  transformPath: string,
  files: readonly string[],
  root: string,
  onProgress?: (codemod: string, done: number, total: number) => void,
  written?: string[],
  linked?: Array<[string, string]>,
): Promise<CodemodOutcome> {
  const outcome: CodemodOutcome = { codemod, files: files.length, changed: 0, unchanged: 0, skipped: 0, failed: 0, reports: [], unparsable: [], errors: [] };
  let loaded: ReturnType<typeof loadTransform>;
  try {
    loaded = loadTransform(transformPath);
  } catch (error) {
    outcome.failed = files.length;
    outcome.errors.push(`the codemod could not be loaded: ${firstLine(error)}`);
    return outcome;
  }
  // Loaded when a codemod first parses a file with it (most files are settled by the shared lint alone).
  let jscodeshift: API['jscodeshift'] | undefined;
  const parserBound = (): API['jscodeshift'] =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (jscodeshift ??= (require('jscodeshift') as typeof import('jscodeshift')).withParser(loaded.parser as string));
  let done = 0;
  for (const path of files) {
    const file = relativePath(root, path);
    const api: API = {
      get j() {
        return parserBound();
      },
      get jscodeshift() {
        return parserBound();
      },
      stats: () => undefined,
      report: (message: string) => {
        if (/^skipped: the file does not parse/.test(message)) outcome.unparsable.push(`${file}: ${message.replace(/^skipped: /, '')}`);
        else outcome.reports.push(`${file}: ${message}`);
      },
    };
    try {
      const source = readFileSync(path, 'utf8');
      const output = await loaded.transform({ path, source }, api, {});
      if (!output) outcome.skipped++;
      else if (output === source) outcome.unchanged++;
      else {
        writeFileSync(path, output);
        written?.push(file);
        outcome.changed++;
      }
    } catch (error) {
      outcome.failed++;
      outcome.errors.push(`${file}: Transformation error (${firstLine(error)})`);
    }
    for (const write of takeLinkedWrites()) {
      written?.push(relativePath(root, write.to));
      linked?.push([relativePath(root, write.from), relativePath(root, write.to)]);
    }
    onProgress?.(codemod, ++done, files.length);
  }
  return outcome;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}


/**
 * The lint of every file at the start of a pass (messages with every rule on, the text they were
 * computed for, and which rules the recommended config enables on the file), answered while it still
 * holds: a file's own text must be unchanged, and so must the files its findings can depend on. The
 * deploy-file rules read package.json scripts, sibling Dockerfiles, the Vite config and the server
 * entry; code rules read package.json dependencies; and no-multiple-prisma-clients reads the other
 * modules (which of them exports a client). So a change to any file that is not code invalidates
 * everything, a change to code invalidates deploy files and no-multiple-prisma-clients.
 */
export class PassFindings implements SharedFindings {
  private trustCode = true;
  private trustOthers = true;
  private changedCode = false;

  constructor(
    private readonly root: string,
    private readonly files: ReadonlyMap<string, { source: string; messages: readonly Linter.LintMessage[] }>,
    private readonly enabledRules: ReadonlyMap<string, ReadonlySet<string>>,
  ) {}

  messagesFor(path: string, source: string, ruleName: string): readonly Linter.LintMessage[] | undefined {
    const file = relativePath(this.root, path);
    const trusted = isCodeFile(file) ? this.trustCode && !(ruleName === READS_OTHER_MODULES && this.changedCode) : this.trustOthers;
    if (!trusted) return undefined;
    if (!this.enabledRules.get(file)?.has(ruleName)) return undefined;
    const entry = this.files.get(file);
    return entry?.source === source ? entry.messages : undefined;
  }

  /** Files a codemod of this pass created, changed or deleted (relative paths). */
  changed(files: readonly string[]): void {
    for (const file of files) {
      if (isCodeFile(file)) {
        this.changedCode = true;
        this.trustOthers = false;
      } else {
        this.trustCode = false;
        this.trustOthers = false;
      }
    }
  }
}

const READS_OTHER_MODULES = 'no-multiple-prisma-clients';
