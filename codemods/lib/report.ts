import type { API } from 'jscodeshift';

/** Reports through jscodeshift (`REP file message`) and falls back to stderr where `api.report` is missing. */
export function createReporter(api: API, path: string): (message: string, line?: number) => void {
  return (message, line) => {
    const text = line === undefined ? message : `line ${line}: ${message}`;
    if (typeof api.report === 'function') api.report(text);
    else process.stderr.write(`REP ${path} ${text}\n`);
  };
}

