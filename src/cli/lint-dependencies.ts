/**
 * What a file's deploy-safe findings depend on besides its own text, so that `fix` can lint again
 * only what a rewrite can have changed instead of the whole project:
 *
 * - deploy files (Dockerfile, Procfile, platform configs, package.json): package.json scripts, the
 *   other deploy files beside them, and code (the Vite config, whether `server.js` exists);
 * - code: package.json dependencies (which server framework runs), `bin` (a command-line tool),
 *   `prisma` (where the schema is), `name` and `workspaces` (the workspace package holding the schema),
 *   and for no-multiple-prisma-clients, which other modules of the package export a Prisma client
 *   (only a module that names PrismaClient can).
 *
 * A rule that comes to read another kind of file must be added here; test/cli/fix-relint.test.ts
 * holds `fix`'s last lint against a whole new `check`.
 */
import { basename } from 'node:path';
import { Minimatch } from 'minimatch';
import { deployFileParser } from '../configs/deploy-files';
import { CODE_FILES } from '../configs/files';

const codeFile = new Minimatch(CODE_FILES[0], { dot: true });

export function isCodeFile(file: string): boolean {
  return codeFile.match(file);
}

/** What a client-exporting module must name: files without it can neither export nor construct a client. */
const MENTIONS_PRISMA_CLIENT = /PrismaClient/;

/** The package.json fields the code rules read. */
const FIELDS_CODE_READS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'bin', 'prisma', 'name', 'workspaces'] as const;

function fieldsCodeReads(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const manifest = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify(FIELDS_CODE_READS.map((field) => manifest[field]));
  } catch {
    return undefined;
  }
}

/**
 * The files to lint again after `changed` (relative paths) were created, changed or deleted: every
 * file whose findings can differ, or `all` when that cannot be told (a package.json whose fields the
 * code reads changed, a file of a kind no rule reads). `linted` lists the files of the last lint;
 * `textOf` gives a file's text before (`'before'`) and now (`'now'`), undefined where there is none.
 */
export function filesToRelint(
  changed: readonly string[],
  linted: Iterable<string>,
  textOf: (file: string, when: 'before' | 'now') => string | undefined,
): string[] | 'all' {
  if (changed.length === 0) return [];
  const files = new Set(changed);
  let clientModuleChanged = false;
  for (const file of changed) {
    if (isCodeFile(file)) {
      if (MENTIONS_PRISMA_CLIENT.test(textOf(file, 'before') ?? '') || MENTIONS_PRISMA_CLIENT.test(textOf(file, 'now') ?? '')) clientModuleChanged = true;
    } else if (basename(file) === 'package.json') {
      const before = fieldsCodeReads(textOf(file, 'before'));
      if (before === undefined || before !== fieldsCodeReads(textOf(file, 'now'))) return 'all';
    } else if (!deployFileParser(file)) return 'all';
  }
  for (const file of linted) {
    if (!isCodeFile(file)) files.add(file);
    else if (clientModuleChanged && MENTIONS_PRISMA_CLIENT.test(textOf(file, 'now') ?? '')) files.add(file);
  }
  return [...files].sort();
}
