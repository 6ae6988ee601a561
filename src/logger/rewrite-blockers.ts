/**
 * Why a finding has no "Log to stdout" suggestion, for the codemod to say instead of repeating the
 * finding. A planner that gives up calls `blocked(reason)`; the rule runs it through `planWithReason`
 * and records the reason at each finding it reports without a rewrite. ESLint's messages carry no
 * such data, so the reasons of the last file the rule linted are kept here (one file at a time: lint
 * is synchronous, and the codemod reads them right after linting).
 */
let pending: string | undefined;
let current: { text: string; reasons: Map<string, string> } | undefined;

/** Gives up a rewrite, saying what blocked it and what to do; the innermost reason wins. */
export function blocked(reason: string): undefined {
  pending ??= reason;
  return undefined;
}

/** Runs a planner: its plan, or (when it gives up) the reason it gave. */
export function planWithReason<T>(plan: () => T | undefined): { plan: T | undefined; reason: string | undefined } {
  pending = undefined;
  try {
    const result = plan();
    return { plan: result, reason: result === undefined ? pending : undefined };
  } finally {
    pending = undefined;
  }
}

/** Starts a file: reasons recorded until the next call belong to `text`. */
export function startBlockers(text: string): void {
  current = { text, reasons: new Map() };
}

/** Records why the finding at `line`/`column` (1-based, as ESLint reports them) has no rewrite. */
export function recordBlocker(line: number, column: number, reason: string): void {
  current?.reasons.set(`${line}:${column}`, reason);
}

/** What blocked the rewrite of the finding at `line`/`column` of `text`, if the rule said. */
export function blockerAt(text: string, line: number, column: number): string | undefined {
  return current?.text === text ? current.reasons.get(`${line}:${column}`) : undefined;
}
