/**
 * ESLint with the plugin's recommended config, as a user runs it (`new ESLint` over a directory), on
 * the project of bad files: every file that does not parse gets one parsing error naming the file and
 * line, every rule runs on the rest without throwing, and good files next to bad ones are still
 * reported where they should be.
 */
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index';
import { createBadProject, type BadProject } from './bad-inputs';

function createLinter(cwd: string): ESLint {
  return new ESLint({ cwd, overrideConfigFile: true, overrideConfig: plugin.configs.recommended });
}

describe('ESLint with the recommended config on a project with bad files', () => {
  let project: BadProject;
  let results: ESLint.LintResult[];
  const resultFor = (file: string): ESLint.LintResult | undefined => results.find((result) => result.filePath === join(project.root, file));

  beforeAll(async () => {
    project = createBadProject();
    // ESLint itself stops a whole run at an unreadable entry (next test); the rest is checked without it.
    unlinkSync(join(project.root, 'src', 'dangling-link.js'));
    results = await createLinter(project.root).lintFiles(['.']);
  }, 120_000);
  afterAll(() => project?.cleanup());

  it('gives each file that does not parse one parsing error with its path and line, and no rule message', () => {
    const expectations: [string, string, number][] = [
      ['src/syntax-error.ts', 'Parsing error: Variable declaration expected.', 6],
      ['src/half-written.js', "Parsing error: '}' expected.", 4],
      ['src/template.ts', "Parsing error: ';' expected.", 3],
      ['src/addon.js', 'Parsing error: Invalid character.', 1],
      ['src/utf16.ts', 'Parsing error: File appears to be binary.', 1],
    ];
    for (const [file, message, line] of expectations) {
      const result = resultFor(file);
      expect(result, `${file} has a result`).toBeDefined();
      expect(result!.messages).toMatchObject([{ ruleId: null, fatal: true, severity: 2, message, line }]);
    }
  });

  it('still reports the good files, at the right line with a BOM, CRLF or 20,000 lines before it', () => {
    const rule = 'deploy-safe/listen-requires-host';
    for (const [file, line] of [
      ['src/good-server.ts', 4],
      ['src/bom-server.ts', 4],
      ['src/crlf-server.js', 4],
      ['src/huge-table.js', 20_007],
    ] as const) {
      const messages = resultFor(file)?.messages ?? [];
      expect(messages.filter((message) => message.fatal)).toEqual([]);
      expect(messages.filter((message) => message.ruleId === rule).map((message) => message.line), file).toEqual([line]);
    }
  });

  it('handles the package.json that is not JSON: a parsing error if a deploy-file config lints it, otherwise not linted', async () => {
    const eslint = createLinter(project.root);
    const packageJson = join(project.root, 'package.json');
    const config = (await eslint.calculateConfigForFile(packageJson)) as { rules?: Record<string, unknown> } | undefined;
    const result = resultFor('package.json');
    if (config?.rules && Object.keys(config.rules).some((id) => id.startsWith('deploy-safe/'))) {
      expect(result?.messages).toMatchObject([{ fatal: true, message: expect.stringMatching(/^Parsing error/) }]);
    } else {
      expect(result).toBeUndefined();
    }
  });

  it('lints every readable code file, bad or good, with every rule of the recommended config, none throwing', () => {
    // A rule that throws makes lintFiles reject (beforeAll would fail); here: no file was dropped silently.
    const codeFiles = [...project.snapshot().keys()].filter((file) => /\.[cm]?[jt]sx?$/.test(file));
    expect(results.map((result) => result.filePath).sort()).toEqual(
      expect.arrayContaining(codeFiles.map((file) => join(project.root, file)).sort()),
    );
    const ruleIds = plugin.configs.recommended.flatMap((entry) => Object.keys(entry.rules ?? {}));
    expect(ruleIds).toContain('deploy-safe/listen-requires-host');
  });
});

describe('ESLint on an unreadable entry (a dangling symlink)', () => {
  let project: BadProject;
  beforeAll(() => {
    project = createBadProject();
  });
  afterAll(() => project?.cleanup());

  it("stops the whole run — ESLint's own behaviour, not the plugin's — with the entry's path in the error", async () => {
    await expect(createLinter(project.root).lintFiles(['.'])).rejects.toThrow(
      `ENOENT: no such file or directory, open '${join(project.root, 'src', 'dangling-link.js')}'`,
    );
  });
});
