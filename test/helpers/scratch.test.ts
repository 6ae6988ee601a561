import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scratchDirectory } from './scratch';

describe('scratchDirectory', () => {
  const madeAtCollection = scratchDirectory('deploy-safe-scratch-file-');
  let madeInTest = '';

  it('gives a directory made while a test runs', () => {
    madeInTest = scratchDirectory('deploy-safe-scratch-test-');
    expect(existsSync(madeInTest)).toBe(true);
  });

  it('removes that directory once the test that made it is over, and keeps the file-level one until the end', async () => {
    await expect.poll(() => existsSync(madeInTest)).toBe(false);
    expect(existsSync(madeAtCollection)).toBe(true);
  });
});
