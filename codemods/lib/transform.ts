import { diffLines } from 'diff';
import type { Linter } from 'eslint';
import type { API, FileInfo, JSCodeshift, Options } from 'jscodeshift';
import { verifyWithPluginRule } from './apply-rule-fixes';
import { createReporter } from './report';
import { OverlappingEditsError } from './text-edits';

/** What a codemod body sees: the parsed file's source, a parser-bound jscodeshift, and a way to report. */
export interface TransformContext {
  file: FileInfo;
  j: JSCodeshift;
  options: Options;
  /** Tells the user about a site the codemod left alone, with file and line. */
  report: (message: string, line?: number) => void;
  /** With a rule: what it reports in the file (the sites to rewrite). */
  findings: readonly Linter.LintMessage[];
  /** With a rule: whether a node overlaps one of its findings. Without one: always true. */
  isReported: (node: unknown) => boolean;
}

const TYPESCRIPT_EXTENSIONS = /\.(?:ts|mts|cts)$/;

/** The parser for a file: `ts` for TypeScript, `tsx` for the rest (JSX in `.js` is common), `babel` as the last resort. */
export function parsersFor(path: string): string[] {
  if (path.endsWith('.tsx')) return ['tsx', 'babel'];
  if (TYPESCRIPT_EXTENSIONS.test(path)) return ['ts', 'tsx'];
  return ['tsx', 'babel'];
}

/** What a rule-driven codemod rewrites: the sites its rule reports, and nothing else. */
export interface RuleBinding {
  name: string;
  rule: unknown;
}

/**
 * Wraps a codemod so every transform behaves the same: files that cannot match are skipped before
 * they are parsed, files that do not parse are reported and left alone, and a file is written only
 * when the body returns different text (untouched files stay byte-identical).
 *
 * With a rule, the rule decides: a file the rule reports nothing in (a test file it exempts, a client
 * for another database, a correct shutdown) is not touched at all, the body sees the rule's findings,
 * a rewrite that no longer parses or that overlaps itself is refused, and every finding the rewrite
 * leaves behind is reported with its line — with the body's own reason when it gave one.
 */
export function createTransform(
  mightMatch: RegExp,
  body: (context: TransformContext) => string | undefined,
  binding?: RuleBinding,
): (file: FileInfo, api: API, options: Options) => string | undefined {
  return (file, api, options) => {
    if (file.path.endsWith('.d.ts') || !mightMatch.test(file.source)) return undefined;
    const report = createReporter(api, file.path);
    let findings: Linter.LintMessage[] = [];
    if (binding) {
      const messages = verifyWithPluginRule(binding.name, binding.rule, file.source, file.path);
      const fatal = messages.find((message) => message.fatal);
      if (fatal) {
        report(`skipped: the file does not parse (${fatal.message})`);
        return undefined;
      }
      if (messages.length === 0) return undefined;
      findings = messages;
    }
    let lastError: unknown;
    for (const parser of parsersFor(file.path)) {
      const parserJ = api.jscodeshift.withParser(parser);
      let parsed: ReturnType<JSCodeshift> | undefined;
      try {
        parsed = parserJ(file.source);
      } catch (error) {
        lastError = error;
        continue;
      }
      const j = handingOver(parserJ, file.source, parsed);
      const reported = new Set<number>();
      const trackingReport: TransformContext['report'] = (message, line) => {
        if (line !== undefined) reported.add(line);
        report(message, line);
      };
      const isReported = binding ? reportedRanges(file.source, findings) : () => true;
      let output: string | undefined;
      try {
        output = body({ file, j, options, report: trackingReport, findings, isReported });
      } catch (error) {
        if (!(error instanceof OverlappingEditsError)) throw error;
        report(`not rewritten: ${error.message}; left as it was`, lineAt(file.source, error.offset));
        return undefined;
      }
      const changed = output !== undefined && output !== file.source;
      if (binding) {
        const after = changed ? verifyWithPluginRule(binding.name, binding.rule, output!, file.path) : findings;
        const fatal = after.find((message) => message.fatal);
        if (fatal) {
          report(`not rewritten: the rewrite would not parse (${fatal.message}); left as it was`, findings[0]?.line);
          return undefined;
        }
        const toInputLine = changed ? lineMapping(output!, file.source) : (line: number) => line;
        // A body that gave up on the file said why at one line; the findings elsewhere point to it.
        const because = !changed && reported.size > 0 ? ` (left because of the note for line ${Math.min(...reported)})` : '';
        for (const message of after) {
          const line = toInputLine(message.line);
          if (!reported.has(line)) report(`not rewritten${because}: ${message.message}`, line);
        }
      }
      return changed ? output : undefined;
    }
    report(`skipped: the file does not parse (${firstLine(lastError)})`);
    return undefined;
  };
}

/**
 * `j` whose first `j(source)` returns the tree already parsed to tell whether the file parses: a
 * body parses its file once, not twice. Later calls (and calls with other text) parse anew.
 */
function handingOver(j: JSCodeshift, source: string, parsed: ReturnType<JSCodeshift>): JSCodeshift {
  let tree: ReturnType<JSCodeshift> | undefined = parsed;
  return new Proxy(j, {
    apply(target, thisArgument, args: unknown[]) {
      if (tree && args.length === 1 && args[0] === source) {
        const first = tree;
        tree = undefined;
        return first;
      }
      return Reflect.apply(target, thisArgument, args) as unknown;
    },
  });
}

/** Whether a node overlaps a range the rule reported. */
function reportedRanges(source: string, findings: readonly Linter.LintMessage[]): (node: unknown) => boolean {
  const ranges = findings.map((message) => {
    const start = offsetAt(source, message.line, message.column);
    const end = message.endLine === undefined ? start + 1 : offsetAt(source, message.endLine, message.endColumn ?? message.column);
    return [start, Math.max(end, start + 1)] as const;
  });
  return (node) => {
    const { start, end } = node as { start: number; end: number };
    return ranges.some(([from, to]) => from < end && start < to);
  };
}

function offsetAt(source: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) offset = source.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let index = source.indexOf('\n'); index !== -1 && index < offset; index = source.indexOf('\n', index + 1)) line++;
  return line;
}

/** Maps a line of the rewritten text to the line of the original it stands for (changed lines: where the change starts). */
export function lineMapping(output: string, input: string): (line: number) => number {
  const map: number[] = [];
  let inputLine = 1;
  for (const part of diffLines(input, output)) {
    const count = part.count ?? 0;
    if (part.removed) inputLine += count;
    else if (part.added) for (let index = 0; index < count; index++) map.push(inputLine);
    else for (let index = 0; index < count; index++) map.push(inputLine++);
  }
  return (line) => map[line - 1] ?? inputLine;
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
