import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * Removes a work directory without ever failing the run: a leftover temp directory is harmless, a
 * red CI line for a passing suite is not. Asynchronous, so the hook's timer and the worker's messages
 * keep running while thousands of installed files are unlinked.
 */
export async function removeQuietly(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    process.stderr.write(`could not remove ${path} (left in place): ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/** How long cleanup of an installed project may take on a loaded 2-core machine. */
export const CLEANUP_TIMEOUT_MS = 120_000;

/**
 * A fresh temp directory, removed (quietly) after the test that made it, or after the file's tests when
 * made at collection time. An `afterAll` registered while a test runs is never called, so inside a test
 * the removal has to be attached to the test itself.
 */
export function scratchDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    onTestFinished(() => removeQuietly(dir), CLEANUP_TIMEOUT_MS);
  } catch {
    afterAll(() => removeQuietly(dir), CLEANUP_TIMEOUT_MS);
  }
  return dir;
}

/** A small service at `root/name`: the files given (paths relative to it), and a package.json unless given. */
export function writeProject(root: string, name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [file, content] of Object.entries({ 'package.json': '{ "name": "svc", "private": true }\n', ...files })) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}
