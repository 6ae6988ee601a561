/**
 * The shipped oxlint config (oxlint/recommended.json) against the recommended ESLint config on every
 * code file of the rule and codemod fixtures and of the bundled example: the same findings (rule, line, column, message), the same
 * files that do not parse, and, with `--fix`, the same files written. Runs the built plugin (dist/), as
 * oxlint loads it; oxlint runs as a user's would, from the repository's node_modules.
 */
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { scratchDirectory } from '../helpers/scratch';

const execFileAsync = promisify(execFile);
const root = join(__dirname, '..', '..');
const oxlintBin = join(root, 'node_modules', 'oxlint', 'bin', 'oxlint');
const shippedConfig = join(root, 'oxlint', 'recommended.json');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built plugin, the one oxlint loads
const plugin = require(join(root, 'dist', 'src', 'index.js')) as { configs: { recommended: ESLint.Options['overrideConfig'] } };

const CODE_FILE = /\.(?:js|jsx|mjs|cjs|ts|tsx|mts|cts)$/;

/**
 * The fixtures copied out of `test/` (whose files the rules skip as tests), with the package.json
 * files and Prisma schemas beside them that the rules read.
 */
function copyFixtures(): { dir: string; files: string[] } {
  const dir = scratchDirectory('deploy-safe-oxlint-parity-');
  cpSync(join(root, 'test', 'rules', 'fixtures'), join(dir, 'rule-fixtures'), { recursive: true });
  cpSync(join(root, 'test', 'codemods', '__testfixtures__'), join(dir, 'codemod-fixtures'), { recursive: true });
  // no-multiple-prisma-clients has no fixture files (its cases are inline in its tests): the example has two clients.
  cpSync(join(root, 'example'), join(dir, 'example'), { recursive: true });
  const walk = (path: string): string[] => readdirSync(path).flatMap((name) => (statSync(join(path, name)).isDirectory() ? walk(join(path, name)) : [join(path, name)]));
  const files = walk(dir)
    .filter((path) => CODE_FILE.test(path))
    .map((path) => relative(dir, path).split('\\').join('/'))
    .sort();
  return { dir, files };
}

interface Seen {
  findings: string[];
  unparsable: string[];
}

async function eslintFindings(dir: string, files: string[]): Promise<Seen> {
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: plugin.configs.recommended });
  const seen: Seen = { findings: [], unparsable: [] };
  for (const result of await eslint.lintFiles(files)) {
    const file = relative(dir, result.filePath).split('\\').join('/');
    for (const message of result.messages) {
      if (message.fatal) seen.unparsable.push(file);
      else seen.findings.push(`${file}:${message.line}:${message.column} ${message.ruleId ?? ''} ${message.message}`);
    }
  }
  return seen;
}

interface OxlintDiagnostic {
  message: string;
  code?: string;
  filename: string;
  labels: { span: { line: number; column: number } }[];
}

async function oxlint(dir: string, args: string[]): Promise<string> {
  try {
    return (await execFileAsync(process.execPath, [oxlintBin, '-c', shippedConfig, ...args], { cwd: dir, maxBuffer: 64 << 20 })).stdout;
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    if (code !== 1) throw new Error(`oxlint exited ${code}: ${stderr}`);
    return stdout;
  }
}

async function oxlintFindings(dir: string, files: string[]): Promise<Seen> {
  const { diagnostics } = JSON.parse(await oxlint(dir, ['--format', 'json', ...files])) as { diagnostics: OxlintDiagnostic[] };
  const seen: Seen = { findings: [], unparsable: [] };
  for (const diagnostic of diagnostics) {
    const rule = /^deploy-safe\((.+)\)$/.exec(diagnostic.code ?? '')?.[1];
    const { line, column } = diagnostic.labels[0].span;
    // A diagnostic without a rule is a parse error; oxlint's own rules (`eslint(no-unused-vars)`…) are not ours.
    if (diagnostic.code === undefined) seen.unparsable.push(diagnostic.filename);
    else if (rule) seen.findings.push(`${diagnostic.filename}:${line}:${column} deploy-safe/${rule} ${diagnostic.message}`);
  }
  return seen;
}

const sorted = (list: string[]): string[] => [...new Set(list)].sort();

describe('oxlint/recommended.json gives what the recommended ESLint config gives', () => {
  it('the same findings and parse failures on every code file of the rule and codemod fixtures', async () => {
    const { dir, files } = copyFixtures();
    expect(files.length).toBeGreaterThan(150);
    const [viaEslint, viaOxlint] = [await eslintFindings(dir, files), await oxlintFindings(dir, files)];
    // Every code rule is exercised, or the comparison would prove little.
    const rules = new Set(viaEslint.findings.map((finding) => finding.split(' ')[1]));
    expect([...rules].sort()).toEqual([
      'deploy-safe/listen-requires-host',
      'deploy-safe/no-file-logger-in-prod',
      'deploy-safe/no-findunique-then-create',
      'deploy-safe/no-multiple-prisma-clients',
      'deploy-safe/pg-pool-requires-timeout',
      'deploy-safe/shutdown-must-close-server',
    ]);
    expect(viaEslint.findings.length).toBeGreaterThan(100);
    expect(viaOxlint.findings.sort()).toEqual(viaEslint.findings.sort());
    expect(sorted(viaOxlint.unparsable)).toEqual(sorted(viaEslint.unparsable));
    expect(viaEslint.unparsable.length).toBeGreaterThan(0);
  });

  it('the same files after `oxlint --fix` as after `eslint --fix`', async () => {
    const viaEslint = copyFixtures();
    const viaOxlint = copyFixtures();
    const eslint = new ESLint({ cwd: viaEslint.dir, fix: true, overrideConfigFile: true, overrideConfig: plugin.configs.recommended });
    await ESLint.outputFixes(await eslint.lintFiles(viaEslint.files));
    // `-A all`: oxlint's own rules (on by default beside the config's) are not to fix anything here.
    await oxlint(viaOxlint.dir, ['--fix', '-A', 'all', ...viaOxlint.files]);
    const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');
    const fixedByEslint = viaEslint.files.filter((file) => read(viaEslint.dir, file) !== readOriginal(file));
    expect(fixedByEslint.length).toBeGreaterThan(20);
    for (const file of viaEslint.files) expect(read(viaOxlint.dir, file), file).toBe(read(viaEslint.dir, file));
  });
});

function readOriginal(file: string): string {
  const [tree, ...rest] = file.split('/');
  const base = { 'rule-fixtures': join(root, 'test', 'rules', 'fixtures'), 'codemod-fixtures': join(root, 'test', 'codemods', '__testfixtures__') }[tree] ?? join(root, tree);
  return readFileSync(join(base, ...rest), 'utf8');
}
