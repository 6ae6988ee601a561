import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, parse, resolve } from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';
import type * as JsoncParser from 'jsonc-eslint-parser' with { 'resolution-mode': 'import' };
import { deployFileParser } from '../src/configs/deploy-files';
import { findMigrationProblems, type MigrationProblem } from '../src/deploy-files/db-push-problems';
import { commandSitesOf, type CommandSite } from '../src/deploy-files/deploy-file-commands';
import { keptMigrateDeployOptions } from '../src/deploy-files/prisma-cli-command';
import { invalidNewCommands } from '../src/deploy-files/shell-syntax';
import { prismaSchemaFor } from '../src/prisma/prisma-schema';
import { nearestPackageDirectory } from '../src/core/project-root';
import { applyEdits, type TextEdit } from './lib/text-edits';
import { writeLinkedFile } from './lib/linked-writes';
import { createReporter } from './lib/report';
import { leaveUndecodableFilesAlone } from './lib/transform';

const jsoncParser: typeof JsoncParser = require('jsonc-eslint-parser');

/**
 * Turns `prisma db push` where a deploy runs it into `prisma migrate deploy` (dropping
 * `--accept-data-loss`, `--skip-generate`, `--force-reset`) and removes what hides a failed migration
 * (`|| true`, `|| exit 0`, `; next` becomes `&& next`), as text edits: every other byte of the file
 * (indentation, key order, comments, final newline) stays. Works on package.json, railway.json,
 * vercel.json, render.yaml, docker-compose, railway/nixpacks/fly.toml, Dockerfile, Procfile and shell
 * scripts.
 *
 * A migration in a package.json start script, next to a railway.json without a pre-deploy command,
 * moves to railway.json `deploy.preDeployCommand` (it runs once per deploy, and a failure stops the
 * deploy instead of crash-looping every replica); railway.json is written by this transform (unless
 * `--dry`), since jscodeshift hands it one file at a time.
 *
 * It always prints the baseline steps: a database built by `db push` has no migration history, so
 * `migrate deploy` fails with P3005 until it is baselined.
 */
const DEV_ONLY = 'not rewritten';

function projectDir(file: string): string {
  return nearestPackageDirectory(file) ?? parse(resolve(file)).root;
}

function baselineSteps(file: string): string[] {
  const root = projectDir(file);
  const messages: string[] = [];
  if (!existsSync(join(root, 'prisma', 'migrations'))) {
    messages.push(
      'prisma/migrations does not exist: `prisma migrate deploy` has nothing to apply until the first migration is created from the current schema and committed (step 1 below).',
    );
  }
  messages.push(
    'Baseline before deploying this change, or `prisma migrate deploy` fails with P3005 (a database built by `db push` has no migration history): ' +
      '1) `mkdir -p prisma/migrations/0_init && npx prisma migrate diff --from-empty --to-schema prisma/schema.prisma --script > prisma/migrations/0_init/migration.sql`, and commit it; ' +
      '2) once, against the production database (direct URL, not PgBouncer): `npx prisma migrate resolve --applied 0_init`.',
  );
  return messages;
}

/** `prisma db push --accept-data-loss` → `prisma migrate deploy` (keeping the runner and `--schema`). */
function migrateDeployEdit(source: string, problem: MigrationProblem): TextEdit {
  const { command, invocation } = problem;
  const kept = keptMigrateDeployOptions(invocation);
  if (command.argv) {
    const words = ['migrate', 'deploy', ...kept.flat().map((word) => word.value)];
    return { start: invocation.program.end, end: command.end, text: words.map((word) => `, ${JSON.stringify(word)}`).join('') };
  }
  const options = kept.map((option) => source.slice(option[0].start, option.at(-1)!.end));
  return { start: invocation.program.end, end: command.end, text: [' migrate deploy', ...options].join(' ') };
}

/**
 * Removes `|| true` (and what it pipes into); turns `; next` / `& next` into `&& next`. The parser marks
 * where each operand ends, so a `)` or `}` around the migration and its hider stays: `(prisma db push
 * || true) && next build` becomes `(prisma migrate deploy) && next build`.
 */
function hiderEdits(problem: MigrationProblem): TextEdit[] {
  const { hiders, site } = problem;
  // `(migrate && x) || true`, `if …; then migrate; fi || true`: the operator follows the compound.
  const command = problem.carrier ?? problem.command;
  const from = command.afterFrom ?? command.end;
  if (command.after === '||') {
    const removal: TextEdit = { start: from, end: command.afterTo?.[1] ?? hiders!.at(-1)!.end, text: '' };
    // `migrate || true; node server.js`: once `|| true` is gone, `;` would hide the failure in turn.
    const last = hiders!.at(-1)!;
    if (site.checkSequence && (last.after === ';' || last.after === '&') && last.afterTo && last.afterFrom !== undefined) {
      return [removal, { start: last.afterFrom, end: last.afterTo[0], text: ' && ' }];
    }
    return [removal];
  }
  return [{ start: from, end: command.afterTo?.[0] ?? hiders![0].start, text: ' && ' }];
}

/** The command a platform's release step runs: the same runner, or `npx` where npm's PATH supplied `prisma`. */
function releaseCommand(source: string, problem: MigrationProblem): string {
  const prefix = source.slice(problem.command.start, problem.invocation.program.start);
  const program = source.slice(problem.invocation.program.start, problem.invocation.program.end);
  const options = keptMigrateDeployOptions(problem.invocation).map((option) => source.slice(option[0].start, option.at(-1)!.end));
  return [`${prefix || 'npx '}${program} migrate deploy`, ...options].join(' ');
}

/** Removes a JSON property (its whole line, and the comma that separated it). */
function removePropertyEdit(source: string, [start, end]: [number, number]): TextEdit {
  let after = end;
  while (/[ \t]/.test(source[after] ?? '')) after += 1;
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const aloneOnLine = source.slice(lineStart, start).trim() === '';
  if (source[after] === ',') {
    let removeEnd = after + 1;
    if (aloneOnLine) {
      const newline = source.indexOf('\n', removeEnd);
      if (newline !== -1 && source.slice(removeEnd, newline).trim() === '') removeEnd = newline + 1;
      return { start: lineStart, end: removeEnd, text: '' };
    }
    while (/[ \t]/.test(source[removeEnd] ?? '')) removeEnd += 1;
    return { start, end: removeEnd, text: '' };
  }
  let before = start - 1;
  while (before >= 0 && /\s/.test(source[before])) before -= 1;
  return source[before] === ',' ? { start: before, end, text: '' } : { start, end, text: '' };
}

interface Move {
  railwayPath: string;
  railwayOutput: string;
  packageEdits: TextEdit[];
  command: string;
}

/** Adds `"preDeployCommand": [command]` to railway.json's `deploy` object, in the file's own indentation. */
function addPreDeployCommand(railway: string, command: string): string | undefined {
  let program: { body: { expression?: { type: string; properties: { key: { value?: string; name?: string }; value: { type: string; range: [number, number]; properties?: { range: [number, number] }[] }; range: [number, number] }[]; range: [number, number] } }[] };
  try {
    program = jsoncParser.parseForESLint(railway).ast as never;
  } catch {
    return undefined;
  }
  const root = program.body[0]?.expression;
  if (root?.type !== 'JSONObjectExpression') return undefined;
  const eol = railway.includes('\r\n') ? '\r\n' : '\n';
  const indentOf = (offset: number): string => /^[ \t]*/.exec(railway.slice(railway.lastIndexOf('\n', offset - 1) + 1))![0];
  const deploy = root.properties.find((property) => (property.key.value ?? property.key.name) === 'deploy');
  const value = JSON.stringify(command);
  const insertAfter = (last: { range: [number, number] }, indent: string, text: string): string =>
    railway.slice(0, last.range[1]) + `,${eol}${indent}${text}` + railway.slice(last.range[1]);
  if (deploy) {
    if (deploy.value.type !== 'JSONObjectExpression') return undefined;
    const last = deploy.value.properties?.at(-1);
    if (!last) return undefined;
    return insertAfter(last, indentOf(last.range[0]), `"preDeployCommand": [${value}]`);
  }
  const last = root.properties.at(-1);
  if (!last) return undefined;
  const indent = indentOf(last.range[0]);
  return insertAfter(last, indent, `"deploy": {${eol}${indent}${indent}"preDeployCommand": [${value}]${eol}${indent}}`);
}

/**
 * The move of a start-time migration from package.json to railway.json: only when exactly one start
 * script migrates, the migration is the whole script or its first step (`migrate && node …`), and
 * railway.json has no pre-deploy command and no Prisma command of its own.
 */
function planMove(file: FileInfo, source: string, sites: CommandSite[], problems: MigrationProblem[]): Move | undefined {
  if (basename(file.path) !== 'package.json') return undefined;
  const railwayPath = join(dirname(resolve(file.path)), 'railway.json');
  if (!existsSync(railwayPath)) return undefined;
  const railway = readFileSync(railwayPath, 'utf8');
  if (railway.includes('prisma') || railway.includes('preDeployCommand')) return undefined;
  const startSites = sites.filter((site) => /^(?:pre|post)?start(?::.+)?$/.test(site.root ?? ''));
  const migrations = startSites.flatMap((site) =>
    problems.filter((problem) => problem.site === site && (problem.messageId === 'dbPushOnDeploy' || problem.messageId === 'hiddenFailure')),
  );
  const commands = new Set(migrations.map((problem) => problem.command));
  if (commands.size !== 1) return undefined;
  const problem = migrations[0];
  const { site, command } = problem;
  if (command.parent) return undefined;
  const topLevel = site.commands.filter((candidate) => !candidate.parent);
  const index = topLevel.indexOf(command);
  const hiders = migrations.find((candidate) => candidate.hiders)?.hiders ?? [];
  const rest = topLevel.slice(index + 1).filter((candidate) => !hiders.includes(candidate));
  let packageEdit: TextEdit;
  if (index === 0 && rest.length === 0 && site.entryRange) {
    packageEdit = removePropertyEdit(source, site.entryRange);
  } else if (index === 0 && command.after === '&&' && hiders.length === 0 && rest.length > 0) {
    packageEdit = { start: command.start, end: rest[0].start, text: '' };
  } else {
    return undefined;
  }
  const release = releaseCommand(source, problem);
  // The command goes from one JSON string into another: its escapes stay valid as they are.
  const railwayOutput = addPreDeployCommand(railway, JSON.parse(`"${release}"`) as string);
  if (!railwayOutput) return undefined;
  return { railwayPath, railwayOutput, packageEdits: [packageEdit], command: release };
}


function transform(file: FileInfo, api: API, options: Options): string | undefined {
  if (!file.source.includes('prisma')) return undefined;
  const parser = deployFileParser(file.path);
  if (!parser) return undefined;
  const report = createReporter(api, file.path);
  let parsed: { ast: unknown; services?: unknown };
  try {
    parsed = parser.parseForESLint(file.source, { filePath: file.path });
  } catch (error) {
    report(`skipped: the file does not parse (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`);
    return undefined;
  }
  const source = file.source;
  const sites = commandSitesOf(file.path, source, parsed.ast, parsed.services);
  const problems = findMigrationProblems(source, sites);
  if (problems.length === 0 || prismaSchemaFor(file.path)?.provider === 'mongodb') return undefined;
  const line = (offset: number): number => source.slice(0, offset).split('\n').length;

  const move = planMove(file, source, sites, problems);
  const edits: TextEdit[] = [];
  let migratesNow = false;
  if (move) {
    edits.push(...move.packageEdits);
    migratesNow = true;
  } else {
    for (const problem of problems) {
      if (problem.messageId === 'dbPushOnDeploy') {
        edits.push(migrateDeployEdit(source, problem));
        migratesNow = true;
      } else if (problem.messageId === 'hiddenFailure') {
        edits.push(...hiderEdits(problem));
      }
    }
  }
  // Nothing is written that the shell would not run: a broken command fails every deploy.
  const output = edits.length === 0 ? source : applyEdits(source, dedupe(edits));
  const invalid = [
    ...invalidNewCommands(file.path, source, output),
    ...(move ? invalidNewCommands(move.railwayPath, readFileSync(move.railwayPath, 'utf8'), move.railwayOutput) : []),
  ];
  if (invalid.length > 0) {
    report(`not rewritten: the rewritten command would not be valid shell (\`${invalid[0].command}\`: ${invalid[0].error}); change it by hand`, line(problems[0].start));
    return undefined;
  }
  if (move) {
    if (options.dry) {
      report(`would move the migration to railway.json deploy.preDeployCommand: ${move.command}`);
    } else {
      writeLinkedFile(file.path, move.railwayPath, move.railwayOutput);
      report(`moved the migration to railway.json deploy.preDeployCommand (${move.command}): it runs once per deploy, and a failure stops the deploy instead of crash-looping every instance`);
    }
  }
  for (const problem of problems) {
    if (problem.messageId === 'dataLossFlag' && !problem.site.deployTime) {
      report(`${DEV_ONLY}: \`${problem.data.flag}\` in ${problem.site.where} can drop data wherever it runs; remove it unless this script only ever targets a disposable database`, line(problem.start));
    } else if (problem.messageId === 'devMigrationOnDeploy') {
      report(`${DEV_ONLY}: \`${problem.data.command}\` in ${problem.site.where} is a development command; replace it with \`prisma migrate deploy\` by hand`, line(problem.start));
    }
  }
  if (migratesNow && !move && sites.some((site) => site.deployTime) && /^(?:package\.json|Dockerfile.*|.*\.sh)$/.test(basename(file.path))) {
    report('`prisma migrate deploy` now runs on every start of every instance: where the platform has a release step (Railway preDeployCommand, Render preDeployCommand, Fly release_command, Heroku `release:`), run it there instead');
  }
  if (migratesNow) for (const message of baselineSteps(file.path)) report(message);
  return output === source ? undefined : output;
}

function dedupe(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = `${edit.start}:${edit.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export default leaveUndecodableFilesAlone(transform);
