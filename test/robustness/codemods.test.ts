/**
 * Every codemod in codemods/ (found at run time), run the way users run it (jscodeshift's Runner over
 * a directory), on a project where good files sit next to bad ones: syntax errors, a truncated file, a
 * binary file, a template, a dangling symlink, a package.json that is not JSON, a huge file, a BOM and
 * CRLF line endings. The run must reach every file, name what it could not read, leave every bad file
 * byte-identical, and rewrite the good ones exactly as it does when given them one at a time.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCodemod, listCodemods, requireTypeScript, type Transform } from '../../scripts/lib/targets';
import { createBadProject, GOOD_FASTIFY, type BadProject } from './bad-inputs';
import { RUNNER_EXTENSIONS, runWithRunner, type RunnerOutcome } from './run-codemod-runner';

const FIXTURES = join(__dirname, '..', 'codemods', '__testfixtures__');

function loadTransform(path: string): Transform {
  let loaded = requireTypeScript(path);
  while (typeof loaded === 'object' && loaded !== null && 'default' in loaded) loaded = (loaded as { default: unknown }).default;
  return loaded as Transform;
}

/**
 * The codemod's own fixture inputs, as good files of the project (`package.json` fixtures keep that
 * name). Only those a directory walk reaches: deploy files such as Dockerfiles are named on the
 * command line, never walked, so they are not part of this run.
 */
function addFixtureInputs(root: string, codemod: string): void {
  const directory = join(FIXTURES, codemod);
  if (!existsSync(directory)) return;
  const walked = new Set(RUNNER_EXTENSIONS.split(','));
  for (const name of readdirSync(directory)) {
    const match = /^(.*)\.input\.(\w+)$/.exec(name);
    if (!match || !walked.has(match[2])) continue;
    const [, caseName, extension] = match;
    const target = extension === 'json' ? join(root, 'fixtures', caseName, 'package.json') : join(root, 'fixtures', `${caseName}.${extension}`);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, readFileSync(join(directory, name)));
  }
}

const codemods = listCodemods();

describe.each(codemods)('codemod $name through jscodeshift on a project with bad files', ({ name, path }) => {
  let project: BadProject;
  let before: Map<string, Buffer>;
  let after: Map<string, Buffer>;
  const expected = new Map<string, string | undefined>();
  let outcome: RunnerOutcome;
  let transcript: string;

  beforeAll(async () => {
    project = createBadProject();
    addFixtureInputs(project.root, name);
    before = project.snapshot();
    const transform = loadTransform(path);
    for (const [file, bytes] of before) {
      expected.set(file, (await applyCodemod(transform, join(project.root, file), bytes.toString('utf8'))).output);
    }
    outcome = await runWithRunner(path, [project.root]);
    transcript = outcome.lines.join('\n');
    after = project.snapshot();
  }, 240_000);
  afterAll(() => project?.cleanup());

  it('reaches every file and finishes without a transform error', () => {
    expect(outcome.counts.error, transcript).toBe(0);
    const { ok, nochange, skip, error } = outcome.counts;
    expect(ok + nochange + skip + error, transcript).toBe(before.size);
    for (const file of before.keys()) {
      expect(outcome.lines.some((line) => / (?:OKK|NOC|SKIP) /.test(` ${line}`) && line.endsWith(join(project.root, file))), `${file} has a status line`).toBe(true);
    }
  });

  it('names the entry it cannot read and carries on', () => {
    expect(transcript).toContain(`Skipping path "${join(project.root, 'src', 'dangling-link.js')}" which does not exist.`);
  });

  it('leaves every bad file byte-identical', () => {
    for (const bad of project.bad.filter((file) => file.readable)) {
      expect(after.get(bad.path)?.equals(before.get(bad.path)!), `${bad.path} (${bad.kind}) is untouched`).toBe(true);
    }
  });

  it('says which file it could not parse, with its path, when it reports one', () => {
    for (const line of outcome.lines.filter((text) => text.startsWith('REP ') && /does not parse|not valid JSON|JSON/i.test(text))) {
      expect(line).toMatch(new RegExp(`^REP ${project.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+ `));
    }
  });

  it('rewrites the good files exactly as it does one at a time, and nothing else', () => {
    for (const [file, original] of before) {
      const want = expected.get(file);
      const got = after.get(file)?.toString('utf8');
      if (want === undefined) expect(after.get(file)?.equals(original), `${file} is untouched`).toBe(true);
      else expect(got, `${file} is rewritten as it is alone`).toBe(want);
    }
  });
});

describe('listen-requires-host on the bad-input project', () => {
  const codemod = codemods.find((entry) => entry.name === 'listen-requires-host');
  let project: BadProject;
  let outcome: RunnerOutcome;

  beforeAll(async () => {
    if (!codemod) return;
    project = createBadProject();
    outcome = await runWithRunner(codemod.path, [project.root]);
  }, 120_000);
  afterAll(() => project?.cleanup());

  it.runIf(codemod)('reports each file that does not parse, with its path and the parser error', () => {
    const reports = outcome.lines.filter((line) => line.startsWith('REP '));
    for (const [file, error] of [
      ['src/syntax-error.ts', 'Variable declaration expected'],
      ['src/half-written.js', "'}' expected"],
      ['src/template.ts', "';' expected"],
      ['src/addon.js', 'Invalid character'],
    ]) {
      expect(reports).toContain(`REP ${join(project.root, file)} skipped: the file does not parse (Parsing error: ${error}.)`);
    }
  });

  it.runIf(codemod)('rewrites the good files: BOM kept, CRLF kept, a 1 MB file changed on one line only', () => {
    const read = (file: string): string => readFileSync(join(project.root, file), 'utf8');
    const fixed = GOOD_FASTIFY.replace('port: Number(process.env.PORT) }', "port: Number(process.env.PORT), host: process.env.HOST ?? '0.0.0.0' }");
    expect(read('src/good-server.ts')).toBe(fixed);
    expect(read('src/bom-server.ts')).toBe(`\uFEFF${fixed}`);
    const crlf = read('src/crlf-server.js');
    expect(crlf).toContain("app.listen({ port: 8080, host: process.env.HOST ?? '0.0.0.0' }, (error) => {\r\n");
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
    const huge = read('src/huge-table.js').split('\n');
    const original = project.good['src/huge-table.js'].split('\n');
    expect(huge.length).toBe(original.length);
    const changed = huge.flatMap((line, index) => (line === original[index] ? [] : [index + 1]));
    expect(changed).toEqual([20_007]);
    expect(huge[20_006]).toBe("app.listen({ port: 3000, host: process.env.HOST ?? '0.0.0.0' });");
    expect(outcome.counts).toMatchObject({ ok: 4, error: 0 });
  });
});

describe('a file that is not UTF-8 (Latin-1)', () => {
  const codemod = codemods.find((entry) => entry.name === 'listen-requires-host');
  let project: BadProject | undefined;
  afterAll(() => project?.cleanup());

  // jscodeshift decodes every file as UTF-8 and writes the result back as UTF-8: rewriting a Latin-1
  // file would turn every non-ASCII byte of it into U+FFFD (EF BF BD), far from the line to change.
  it.runIf(codemod)('listen-requires-host leaves its bytes alone instead of writing U+FFFD over them', async () => {
    project = createBadProject();
    const latin1 = Buffer.concat([
      Buffer.from("const fastify = require('fastify');\nconst greeting = 'caf"),
      Buffer.from([0xe9]),
      Buffer.from("';\nconst app = fastify();\napp.listen({ port: 3000 });\n"),
    ]);
    const path = join(project.root, 'src', 'latin1-server.js');
    writeFileSync(path, latin1);
    const outcome = await runWithRunner(codemod!.path, [path]);
    expect(readFileSync(path).equals(latin1), 'the Latin-1 file is byte-identical').toBe(true);
    expect(outcome.lines).toContain(`REP ${path} skipped: the file is not valid UTF-8 (or contains U+FFFD), and rewriting it would replace its non-UTF-8 bytes; edit it by hand`);
  });
});

describe('eslint-disable comments for other rules', () => {
  const codemod = codemods.find((entry) => entry.name === 'listen-requires-host');

  // Found by `npm run sweep` in vitest's dist/chunks/cli-api.*.js: with only its own rule on, ESLint's
  // default `reportUnusedDisableDirectives` found every directive for another rule unused, and its
  // autofix deleted it in any file containing `.listen(`, even when the host was already right.
  it.runIf(codemod)('listen-requires-host keeps them, and leaves a file with nothing to fix byte-identical', async () => {
    const source = "// eslint-disable-next-line no-console\nconsole.log('starting');\nserver.listen(port, host);\n";
    const run = await applyCodemod(loadTransform(codemod!.path), '/srv/app/server.js', source);
    expect(run.output).toBeUndefined();
  });

  // Found by a scan of node_modules (winston's own logger.js has `/* eslint-disable valid-jsdoc */`): a
  // directive naming a rule the one-rule config does not define produced "Definition for rule
  // 'valid-jsdoc' was not found", which the codemods printed as sites they had not rewritten.
  it.each(codemods.filter((entry) => ['listen-requires-host', 'no-file-logger-in-prod'].includes(entry.name)))(
    '$name does not report directives for rules it does not know',
    async ({ path }) => {
      const source = "/* eslint-disable valid-jsdoc */\nconst winston = require('winston');\nconst server = app.listen({ port, host });\nmodule.exports = winston.createLogger({ transports: [new winston.transports.Console()] });\n";
      const run = await applyCodemod(loadTransform(path), '/srv/app/logger.js', source);
      expect(run).toEqual({ output: undefined, reports: [] });
    },
  );
});
