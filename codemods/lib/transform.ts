import type { API, FileInfo, JSCodeshift, Options } from 'jscodeshift';

/** What a codemod body sees: the parsed file's source, a parser-bound jscodeshift, and a way to report. */
export interface TransformContext {
  file: FileInfo;
  j: JSCodeshift;
  options: Options;
  /** Tells the user about a site the codemod left alone, with file and line. */
  report: (message: string, line?: number) => void;
}

const TYPESCRIPT_EXTENSIONS = /\.(?:ts|mts|cts)$/;

/** The parser for a file: `ts` for TypeScript, `tsx` for the rest (JSX in `.js` is common), `babel` as the last resort. */
export function parsersFor(path: string): string[] {
  if (path.endsWith('.tsx')) return ['tsx', 'babel'];
  if (TYPESCRIPT_EXTENSIONS.test(path)) return ['ts', 'tsx'];
  return ['tsx', 'babel'];
}

/** Reports through jscodeshift (`REP file message`) and falls back to stderr where `api.report` is missing. */
export function createReporter(api: API, path: string): TransformContext['report'] {
  return (message, line) => {
    const text = line === undefined ? message : `line ${line}: ${message}`;
    if (typeof api.report === 'function') api.report(text);
    else process.stderr.write(`REP ${path} ${text}\n`);
  };
}

/**
 * Wraps a codemod so every transform behaves the same: files that cannot match are skipped before
 * they are parsed, files that do not parse are reported and left alone, and a file is written only
 * when the body returns different text (untouched files stay byte-identical).
 */
export function createTransform(
  mightMatch: RegExp,
  body: (context: TransformContext) => string | undefined,
): (file: FileInfo, api: API, options: Options) => string | undefined {
  return (file, api, options) => {
    if (file.path.endsWith('.d.ts') || !mightMatch.test(file.source)) return undefined;
    const report = createReporter(api, file.path);
    let lastError: unknown;
    for (const parser of parsersFor(file.path)) {
      const j = api.jscodeshift.withParser(parser);
      try {
        j(file.source);
      } catch (error) {
        lastError = error;
        continue;
      }
      const output = body({ file, j, options, report });
      return output === undefined || output === file.source ? undefined : output;
    }
    report(`skipped: the file does not parse (${firstLine(lastError)})`);
    return undefined;
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

type Transform = (file: FileInfo, api: API, options: Options) => string | undefined;

/**
 * jscodeshift reads every file as UTF-8 and writes UTF-8 back. In a file that is not UTF-8 (Latin-1,
 * Windows-1252) each undecodable byte has already become U+FFFD, so writing the rewrite would replace
 * those bytes everywhere in the file, far from the change: such a file is reported and left alone.
 */
export function leaveUndecodableFilesAlone(transform: Transform): Transform {
  return (file, api, options) => {
    const output = transform(file, api, options);
    if (output === undefined || !file.source.includes('\uFFFD')) return output;
    createReporter(api, file.path)('skipped: the file is not valid UTF-8 (or contains U+FFFD), and rewriting it would replace its non-UTF-8 bytes; edit it by hand');
    return undefined;
  };
}
