import { renameSync, writeFileSync } from 'node:fs';

/**
 * Rewrites that span two files: the shutdown moved from the Prisma module into the server module, the
 * migration moved from a start script into railway.json. The transform returns the text of the file it
 * was given and writes the other one here. Half of such a rewrite loses behaviour (a shutdown removed
 * from one module and never added to the other), so `deploy-safe fix` reads these pairs after each file
 * and keeps or puts back both files together. Under plain jscodeshift the list is only filled, never read.
 */
const pending: Array<{ from: string; to: string }> = [];

/** Writes `to` (through a temporary file, so a crash never leaves half of it) as part of the rewrite of `from`. */
export function writeLinkedFile(from: string, to: string, text: string): void {
  const temporary = `${to}.deploy-safe-${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, to);
  pending.push({ from, to });
}

/** The files written alongside others since the last call (absolute paths), and forgets them. */
export function takeLinkedWrites(): Array<{ from: string; to: string }> {
  return pending.splice(0);
}
