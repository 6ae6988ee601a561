import type { API, FileInfo, Options } from 'jscodeshift';
import type { Linter } from 'eslint';
import rule from '../src/rules/no-file-logger-in-prod';
import { verifyWithPluginRule } from './lib/apply-rule-fixes';
import { createReporter } from './lib/report';
import { leaveUndecodableFilesAlone } from './lib/transform';
import { blockerAt } from '../src/logger/rewrite-blockers';

const RULE_NAME = 'no-file-logger-in-prod';
const MIGHT_MATCH = /winston|pino|bunyan|log4js|appenders/;
const MAX_PASSES = 5;

function lint(source: string, path: string): Linter.LintMessage[] {
  return verifyWithPluginRule(RULE_NAME, rule, source, path);
}

/** Applies the first suggestion of every message, skipping any that overlaps one already taken. */
function applySuggestions(source: string, messages: Linter.LintMessage[]): string {
  const fixes = new Map<string, Linter.LintMessage['fix'] & object>();
  for (const message of messages) {
    const fix = message.suggestions?.[0]?.fix;
    if (fix) fixes.set(`${fix.range[0]}:${fix.range[1]}:${fix.text}`, fix);
  }
  const sorted = [...fixes.values()].sort((a, b) => a.range[0] - b.range[0]);
  let output = '';
  let position = 0;
  for (const fix of sorted) {
    if (fix.range[0] < position) continue;
    output += source.slice(position, fix.range[0]) + fix.text;
    position = fix.range[1];
  }
  return output + source.slice(position);
}

/**
 * Sends a service's logs to stdout, exactly as the rule's "Log to stdout" suggestions do: winston
 * file transports are replaced by one Console transport (errors on stderr, the logger's own format,
 * JSON by default) or dropped when a Console transport exists, a Console transport added only outside
 * production becomes unconditional (its development format kept for development), pino file
 * destinations and file targets give way to pino's default stdout, bunyan file streams to
 * `{ stream: process.stdout }`, log4js file appenders to a `stdout` appender (`basic` layout, no colour
 * codes). Transports that never run in production stay. A file transport held in a module-level
 * variable used only in one `transports` list goes with its variable. What it cannot rewrite safely
 * (a transport held in a variable used elsewhere, options built outside `createLogger`, spread stream
 * lists, log4js 1's appender array) is reported with its line and what blocked it.
 */
/** What blocked the rewrite of a finding left: the rule's reason, or why its suggestion was not taken. */
function leftReason(source: string, message: Linter.LintMessage): string {
  const reason = blockerAt(source, message.line, message.column);
  if (reason) return reason;
  if (message.suggestions?.length) {
    return `its rewrite overlaps another finding's and was still left after ${MAX_PASSES} passes: apply the rule's "Log to stdout" suggestion in an editor, one finding at a time`;
  }
  return `the rule offers no rewrite for it (${message.messageId ?? 'unknown finding'}): log to stdout by hand`;
}

function transform(file: FileInfo, api: API, _options: Options): string | undefined {
  if (file.path.endsWith('.d.ts') || !MIGHT_MATCH.test(file.source)) return undefined;
  const report = createReporter(api, file.path);
  let source = file.source;
  let messages: Linter.LintMessage[] = [];
  for (let pass = 0; pass <= MAX_PASSES; pass++) {
    try {
      messages = lint(source, file.path);
    } catch (error) {
      report(`skipped: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
      return undefined;
    }
    const fatal = messages.find((message) => message.fatal);
    if (fatal) {
      report(`skipped: the file does not parse (${fatal.message})`);
      return undefined;
    }
    const next = pass === MAX_PASSES ? source : applySuggestions(source, messages);
    if (next === source) break;
    source = next;
  }
  for (const message of messages) report(`not rewritten: ${leftReason(source, message)}`, message.line);
  return source === file.source ? undefined : source;
}

export default leaveUndecodableFilesAlone(transform);
