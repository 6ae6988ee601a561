#!/usr/bin/env node
// `npm run example`: copies the bundled example service, then runs `deploy-safe check` and
// `deploy-safe fix --dry-run` on the copy (the repository's example is never modified).
'use strict';
const { spawnSync } = require('node:child_process');
const { cpSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'src', 'cli', 'index.js');
const copy = join(mkdtempSync(join(tmpdir(), 'deploy-safe-example-')), 'example-service');
cpSync(join(root, 'example'), copy, { recursive: true, filter: (source) => !/[\\/](node_modules|dist|logs)$/.test(source) });

function step(title, args) {
  process.stdout.write(`\n$ deploy-safe ${args.join(' ')}    # ${title}\n\n`);
  return spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' }).status;
}

try {
  const checked = step('what is wrong', ['check', copy]);
  const fixed = step('what the codemods would change', ['fix', copy, '--dry-run']);
  process.stdout.write(`\ncheck exited ${checked} (1 = problems found), fix --dry-run exited ${fixed} (0 = nothing left after the fix)\n`);
  process.exitCode = checked === 1 && fixed === 0 ? 0 : 1;
} finally {
  rmSync(join(copy, '..'), { recursive: true, force: true });
}
