/**
 * Every example on a rule's page is linted with that rule alone, as typescript-eslint's docs test does:
 * the blocks under `### Incorrect` must be reported, those under `### Correct` must not, and neither may
 * fail to parse. So a page can never drift from its rule.
 *
 * Convention for the fenced blocks of those two sections:
 * - ```ts title="prisma/seed.ts"``` lints the block as that file (relative to a project root); without a
 *   title, as the default file of its language (DEFAULT_FILES: ts → src/server.ts, json → package.json…).
 *   A block without a language (a Procfile) needs a title. One block is one file.
 * - ```ts options='{"requireSignalHandler":true}'``` gives the rule's options (an array for several);
 *   without it the rule runs with its defaults.
 * - In an Incorrect block, a line that ends in a `// ✗` (or `# ✗`) comment must be reported; when a block
 *   has such marks, the lines reported must be exactly the marked ones. A block without marks (JSON
 *   has no comments) must be reported at least once.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Linter } from 'eslint';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { verifyWithPluginRule } from '../../codemods/lib/apply-rule-fixes';
import { DEPLOY_FILE_ONLY_RULES, DEPLOY_FILE_RULES, deployFileParser } from '../../src/configs/deploy-files';
import { CODE_FILES } from '../../src/configs/files';
import { rules } from '../../src/rules';
import { scratchDirectory } from '../helpers/scratch';

const docsDir = join(__dirname, '..', '..', 'docs', 'rules');
const pages = readdirSync(docsDir).filter((name) => name.endsWith('.md')).sort();

/** The file a block is linted as when its fence has no `title`. */
const DEFAULT_FILES: Record<string, string> = {
  ts: 'src/server.ts',
  typescript: 'src/server.ts',
  mts: 'src/server.mts',
  cts: 'src/server.cts',
  tsx: 'src/app.tsx',
  js: 'src/server.js',
  javascript: 'src/server.js',
  mjs: 'src/server.mjs',
  cjs: 'src/server.cjs',
  jsx: 'src/app.jsx',
  json: 'package.json',
  jsonc: 'package.json',
  dockerfile: 'Dockerfile',
  yaml: 'render.yaml',
  yml: 'render.yaml',
  toml: 'railway.toml',
  sh: 'entrypoint.sh',
  bash: 'entrypoint.sh',
  shell: 'entrypoint.sh',
};

/**
 * Examples that are right and that the rule gets wrong, keyed `<rule> <section> #<n>`: their tests are
 * expected to fail (`it.fails`) until the rule is fixed, and start failing the suite once it is.
 */
const RULE_BUGS: Record<string, string> = {};

type Section = 'Incorrect' | 'Correct';

interface Example {
  section: Section;
  /** 1-based, within its section. */
  index: number;
  /** The line of the opening fence in the page. */
  line: number;
  language: string;
  title?: string;
  options?: string;
  code: string;
}

const MARK = /(?:\/\/|#)\s*✗/;

/** The fenced blocks under `### Incorrect` and `### Correct`, up to the next heading of level ≤ 3. */
function examplesOf(markdown: string): Example[] {
  const examples: Example[] = [];
  const counts: Record<Section, number> = { Incorrect: 0, Correct: 0 };
  let section: Section | undefined;
  let fence: { marker: string; indent: number; info: string; line: number; lines: string[] } | undefined;
  markdown.split('\n').forEach((text, lineIndex) => {
    if (fence) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(text);
      if (close && close[1][0] === fence.marker[0] && close[1].length >= fence.marker.length) {
        if (section) {
          const [language = '', ...rest] = fence.info.trim().split(/\s+/);
          const attribute = (name: string) => new RegExp(`\\b${name}=(?:"([^"]*)"|'([^']*)')`).exec(rest.join(' '))?.slice(1).find((value) => value !== undefined);
          counts[section] += 1;
          examples.push({
            section,
            index: counts[section],
            line: fence.line,
            language: language.toLowerCase(),
            title: attribute('title'),
            options: attribute('options'),
            code: `${fence.lines.join('\n')}\n`,
          });
        }
        fence = undefined;
      } else {
        fence.lines.push(text.slice(Math.min(fence.indent, /^\s*/.exec(text)![0].length)));
      }
      return;
    }
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(text);
    if (open) {
      fence = { indent: open[1].length, marker: open[2], info: open[3], line: lineIndex + 1, lines: [] };
      return;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(text);
    if (heading && heading[1].length <= 3) {
      section = heading[1].length === 3 && (heading[2] === 'Incorrect' || heading[2] === 'Correct') ? heading[2] : undefined;
    }
  });
  return examples;
}

/** Whether the recommended config runs the rule on that file: code, or package.json and deploy files. */
function ruleRunsOn(ruleId: string, filename: string): boolean {
  if (deployFileParser(filename)) return DEPLOY_FILE_RULES.includes(ruleId);
  return CODE_FILES.some((glob) => minimatch(filename, glob)) && !DEPLOY_FILE_ONLY_RULES.includes(ruleId);
}

const describeMessage = (message: Linter.LintMessage) => `${message.line}:${message.column} ${message.messageId ?? message.message}`;

// A project of its own, so what the rules read from disk (the Prisma schema's provider, vite.config's
// host) is nothing rather than whatever this repository has.
const projectDir = scratchDirectory('deploy-safe-docs-');
writeFileSync(join(projectDir, 'package.json'), '{ "name": "docs-example", "private": true }\n');

describe('docs examples', () => {
  it('has a page for every rule and a rule for every page', () => {
    expect(pages.map((page) => page.replace(/\.md$/, ''))).toEqual(Object.keys(rules).sort());
  });

  for (const page of pages) {
    const ruleId = page.replace(/\.md$/, '');
    const rule = (rules as Record<string, unknown>)[ruleId];
    const examples = examplesOf(readFileSync(join(docsDir, page), 'utf8'));

    describe(`docs/rules/${page}`, () => {
      it('has Incorrect and Correct examples', () => {
        expect(examples.filter((example) => example.section === 'Incorrect').length).toBeGreaterThan(0);
        expect(examples.filter((example) => example.section === 'Correct').length).toBeGreaterThan(0);
      });

      for (const example of examples) {
        const filename = example.title ?? DEFAULT_FILES[example.language];
        const firstLine = example.code.split('\n').find((line) => line.trim() !== '')?.trim() ?? '(empty)';
        const bug = RULE_BUGS[`${ruleId} ${example.section} #${example.index}`];
        const where = `docs/rules/${page}:${example.line} (${example.section} #${example.index}, linted as ${filename})`;
        const test = bug ? it.fails : it;

        test(`${example.section} #${example.index}: ${firstLine}${bug ? ` — known rule bug: ${bug}` : ''}`, () => {
          expect(filename, `${where}: give the block a language or a title="<file>"`).toBeDefined();
          expect(ruleRunsOn(ruleId, filename!), `${where}: the recommended config does not run ${ruleId} on ${filename}`).toBe(true);
          const parsed: unknown = example.options === undefined ? [] : JSON.parse(example.options);
          const options = Array.isArray(parsed) ? parsed : [parsed];

          const messages = verifyWithPluginRule(ruleId, rule, example.code, join(projectDir, filename!), options);
          expect(messages.filter((message) => message.fatal).map(describeMessage), `${where}: does not parse`).toEqual([]);
          const reports = messages.filter((message) => !message.fatal);
          const marked = example.code.split('\n').flatMap((line, index) => (MARK.test(line) ? [index + 1] : []));

          if (example.section === 'Correct') {
            expect(reports.map(describeMessage), `${where}: a Correct example is reported`).toEqual([]);
            expect(marked, `${where}: a Correct example has lines marked ✗`).toEqual([]);
            return;
          }
          expect(reports.length, `${where}: an Incorrect example is not reported`).toBeGreaterThan(0);
          if (marked.length > 0) {
            const reportedLines = [...new Set(reports.map((message) => message.line))].sort((a, b) => a - b);
            expect(reportedLines, `${where}: the lines reported are not the lines marked ✗ (${reports.map(describeMessage).join('; ')})`).toEqual(marked);
          }
        });
      }
    });
  }
});
