/**
 * The type check `fix` runs before it keeps a rewrite: each tsconfig project that holds a changed file
 * is checked with the project's own TypeScript, in this process, twice — once with the files as they
 * were (served from memory, nothing is written back) and once as rewritten. Nothing is emitted, so no
 * build output or .tsbuildinfo appears in the project.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type * as TypeScript from 'typescript';

/** One error, without its line: an edit above it must not make it look new. */
export interface TypeError {
  file: string;
  /** `TS2322: Type 'string' is not assignable to type 'number'.` */
  text: string;
}

export interface TypeProject {
  /** The tsconfig.json, relative to the project root. */
  config: string;
  /** The changed files (relative paths) it compiles. */
  files: string[];
  typescript: string;
}

export interface TypeCheckPlan {
  projects: TypeProject[];
  /** Why some changed files are not type-checked (no tsconfig includes them, no TypeScript installed…). */
  notChecked: string[];
}

/** The project's own TypeScript: the nearest node_modules/typescript at or above `dir` (hoisted in a monorepo). */
function findTypeScript(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', 'typescript', 'lib', 'typescript.js');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

const loaded = new Map<string, typeof TypeScript>();
function loadTypeScript(path: string): typeof TypeScript {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's own compiler, by path
  if (!loaded.has(path)) loaded.set(path, require(path) as typeof TypeScript);
  return loaded.get(path)!;
}

function parseConfig(ts: typeof TypeScript, config: string): TypeScript.ParsedCommandLine | undefined {
  const host: TypeScript.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} };
  return ts.getParsedCommandLineOfConfigFile(config, { noEmit: true }, host);
}

/**
 * The tsconfig projects that compile the changed files: the nearest tsconfig.json above each file
 * (within `root`); a solution-style one (`files: []` with `references`) stands for its references.
 */
export function planTypeCheck(root: string, changed: readonly string[]): TypeCheckPlan {
  const projects = new Map<string, TypeProject>();
  const notChecked: string[] = [];
  for (const file of changed) {
    if (!/\.(?:[cm]?tsx?|[cm]?jsx?)$/.test(file) || file.endsWith('.d.ts')) continue;
    const absolute = join(root, file);
    let config: string | undefined;
    for (let dir = dirname(absolute); dir.startsWith(root); dir = dirname(dir)) {
      if (existsSync(join(dir, 'tsconfig.json'))) {
        config = join(dir, 'tsconfig.json');
        break;
      }
      if (dir === root) break;
    }
    if (!config) {
      if (/\.[cm]?tsx?$/.test(file)) notChecked.push(`${file} (no tsconfig.json above it)`);
      continue;
    }
    const typescript = findTypeScript(dirname(config));
    if (!typescript) {
      notChecked.push(`${file} (${relative(root, config)}: the project's TypeScript is not installed)`);
      continue;
    }
    let owner: string | undefined;
    try {
      const ts = loadTypeScript(typescript);
      const candidates = [config];
      const parsed = parseConfig(ts, config);
      if (parsed && parsed.fileNames.length === 0) candidates.push(...(parsed.projectReferences ?? []).map((reference) => ts.resolveProjectReferencePath(reference)));
      owner = candidates.find((candidate) => parseConfig(ts, candidate)?.fileNames.some((name) => resolve(name) === absolute));
    } catch (error) {
      notChecked.push(`${file} (${relative(root, config)} could not be read: ${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    if (!owner) {
      if (/\.[cm]?tsx?$/.test(file)) notChecked.push(`${file} (${relative(root, config)} does not compile it)`);
      continue;
    }
    const key = relative(root, owner).split(sep).join('/');
    const project = projects.get(key) ?? { config: key, files: [], typescript };
    project.files.push(file);
    projects.set(key, project);
  }
  return { projects: [...projects.values()], notChecked };
}

/**
 * The project's errors, with `originals` standing in for what is on disk: a path mapped to its old
 * text is read as that text, a path mapped to undefined (a file a codemod created) does not exist.
 */
export function typeErrors(root: string, project: TypeProject, originals?: ReadonlyMap<string, string | undefined>): TypeError[] {
  const ts = loadTypeScript(project.typescript);
  const parsed = parseConfig(ts, join(root, project.config));
  if (!parsed) throw new Error(`${project.config} could not be parsed`);
  const override = (fileName: string): string | undefined | null => {
    if (!originals) return null;
    const file = relative(root, resolve(fileName)).split(sep).join('/');
    return originals.has(file) ? originals.get(file) : null;
  };
  const options = { ...parsed.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (fileName) => {
    const text = override(fileName);
    return text === null ? fileExists.call(host, fileName) : text !== undefined;
  };
  host.readFile = (fileName) => {
    const text = override(fileName);
    return text === null ? readFile.call(host, fileName) : text;
  };
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    const text = override(fileName);
    if (text === null) return getSourceFile.call(host, fileName, language, onError, shouldCreate);
    return text === undefined ? undefined : ts.createSourceFile(fileName, text, language);
  };
  const rootNames = parsed.fileNames.filter((name) => override(name) !== undefined);
  const program = ts.createProgram({ rootNames, options, host, projectReferences: parsed.projectReferences });
  return ts.getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map((diagnostic) => ({
      file: diagnostic.file ? relative(root, diagnostic.file.fileName).split(sep).join('/') : project.config,
      text: `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`,
    }));
}

/**
 * Errors `after` has that `before` did not, by file. In a file that existed, each message is counted
 * (a second copy is new). A file a codemod created has no "before": an error there is new unless the
 * project already had the same error elsewhere (a Prisma client not generated yet makes every file
 * that imports it fail the same way).
 */
export function newTypeErrors(before: readonly TypeError[], after: readonly TypeError[], created: ReadonlySet<string>): Map<string, string[]> {
  const anywhereBefore = new Set(before.map((error) => error.text));
  const remaining = new Map<string, string[]>();
  for (const error of before) remaining.set(error.file, [...(remaining.get(error.file) ?? []), error.text]);
  const added = new Map<string, string[]>();
  for (const error of after) {
    if (created.has(error.file)) {
      if (!anywhereBefore.has(error.text)) added.set(error.file, [...(added.get(error.file) ?? []), error.text]);
      continue;
    }
    const left = remaining.get(error.file) ?? [];
    const index = left.indexOf(error.text);
    if (index === -1) added.set(error.file, [...(added.get(error.file) ?? []), error.text]);
    else left.splice(index, 1);
  }
  return added;
}
