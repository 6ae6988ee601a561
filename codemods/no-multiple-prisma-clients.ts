import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ASTPath, Collection, JSCodeshift, NewExpression, Node, VariableDeclaration } from 'jscodeshift';
import { clientSettings } from '../src/prisma/prisma-client';
import { compilesJavaScript, exportedClients, findSingleton, frameworkHeldClients, importSpecifier, preferredExport, projectRoot, rememberSingleton, TYPESCRIPT_FILE, type Singleton } from './lib/prisma-singleton';
import { applyEdits, offsets, removeStatementEdit, type TextEdit } from './lib/text-edits';
import rule from '../src/rules/no-multiple-prisma-clients';
import { createTransform, leaveUndecodableFilesAlone, type TransformContext } from './lib/transform';

const PRISMA_MODULE = /^@prisma\/client(?:\/|$)|(?:^|[/@.-])prisma(?:[/.-]|$)/i;
const DEFAULT_SINGLETON = 'src/lib/prisma.ts';

interface ClientSite {
  declaration: ASTPath<VariableDeclaration>;
  name: string;
  construction: NewExpression;
  moduleScope: boolean;
}

function lineOf(node: unknown): number | undefined {
  return (node as { loc?: { start: { line: number } } }).loc?.start.line;
}

/** Local names bound to Prisma's client class by imports or requires. */
function prismaClientNames(j: JSCodeshift, root: Collection): Set<string> {
  const names = new Set<string>();
  root.find(j.ImportDeclaration).forEach((path) => {
    if (!PRISMA_MODULE.test(String(path.node.source.value))) return;
    for (const specifier of path.node.specifiers ?? []) {
      if (j.ImportSpecifier.check(specifier) && specifier.imported.name === 'PrismaClient') names.add(String(specifier.local?.name ?? 'PrismaClient'));
    }
  });
  root.find(j.VariableDeclarator, { init: { callee: { name: 'require' } } }).forEach((path) => {
    const argument = (path.node.init as { arguments: { value?: unknown }[] }).arguments[0];
    if (!PRISMA_MODULE.test(String(argument?.value)) || !j.ObjectPattern.check(path.node.id)) return;
    for (const property of path.node.id.properties) {
      if ((j.ObjectProperty.check(property) || j.Property.check(property)) && j.Identifier.check(property.key) && property.key.name === 'PrismaClient' && j.Identifier.check(property.value)) {
        names.add(property.value.name);
      }
    }
  });
  return names;
}

function findClientSites(j: JSCodeshift, root: Collection, classNames: Set<string>): { sites: ClientSite[]; unsupported: Node[] } {
  const sites: ClientSite[] = [];
  const unsupported: Node[] = [];
  root.find(j.NewExpression).forEach((path) => {
    if (!j.Identifier.check(path.node.callee) || !classNames.has(path.node.callee.name)) return;
    const declarator = path.parent?.node;
    const declaration = path.parent?.parent as ASTPath<VariableDeclaration> | undefined;
    if (!j.VariableDeclarator.check(declarator) || !j.Identifier.check(declarator.id) || !j.VariableDeclaration.check(declaration?.node) || declaration.node.declarations.length !== 1) {
      unsupported.push(path.node);
      return;
    }
    const container = declaration.parent?.node;
    const exported = j.ExportNamedDeclaration.check(container) || j.ExportDefaultDeclaration.check(container);
    if (exported) return; // the module's own exported client
    sites.push({ declaration, name: declarator.id.name, construction: path.node, moduleScope: j.Program.check(container) });
  });
  return { sites, unsupported };
}

/** The options text of `new PrismaClient(<options>)`, and the identifiers it uses. */
function optionsOf(source: string, construction: NewExpression): string | undefined {
  const [argument] = construction.arguments;
  return argument ? source.slice(offsets(argument).start, offsets(argument).end) : undefined;
}

function createSingleton(file: string, target: string, source: string, root: Collection, j: JSCodeshift, site: ClientSite, typescript: boolean, commonJs: boolean): string {
  const options = optionsOf(source, site.construction);
  if (commonJs) {
    const required = /require\(\s*(['"])([^'"]*prisma[^'"]*)\1\s*\)/i.exec(source)?.[2] ?? '@prisma/client';
    const from = required.startsWith('.') ? importSpecifier(target, resolve(dirname(resolve(file)), required), false) : required;
    return [
      `const { PrismaClient } = require('${from}');`,
      '',
      '// One client per process: every PrismaClient opens its own connection pool. Cached on globalThis so',
      '// hot reloads in development reuse it instead of opening a new pool each time.',
      `const prisma = globalThis.prisma ?? new PrismaClient(${options ?? ''});`,
      '',
      "if (process.env.NODE_ENV !== 'production') globalThis.prisma = prisma;",
      '',
      'module.exports = { prisma };',
      '',
    ].join('\n');
  }
  // Carry the imports the options need (the Prisma 7 driver adapter) and the client class itself.
  const imports: string[] = [];
  root.find(j.ImportDeclaration).forEach((path) => {
    const locals = (path.node.specifiers ?? []).map((specifier) => String(specifier.local?.name ?? ''));
    const specifierValue = String(path.node.source.value);
    const needed = locals.filter((local) => local === (site.construction.callee as { name: string }).name || (options !== undefined && new RegExp(`\\b${local}\\b`).test(options)));
    if (needed.length === 0) return;
    const from = specifierValue.startsWith('.') ? importSpecifier(target, resolve(dirname(resolve(file)), specifierValue), false) : specifierValue;
    const named = (path.node.specifiers ?? []).filter((specifier) => needed.includes(String(specifier.local?.name ?? '')) && j.ImportSpecifier.check(specifier));
    if (named.length > 0) {
      imports.push(`import { ${named.map((specifier) => { const imported = (specifier as { imported: { name: string } }).imported.name; const local = specifier.local?.name; return imported === local ? imported : `${imported} as ${local}`; }).join(', ')} } from '${from}';`);
    }
  });
  const className = (site.construction.callee as { name: string }).name;
  const globalType = typescript ? ` as unknown as { prisma?: ${className} }` : '';
  return [
    ...imports,
    '',
    '// One client per process: every PrismaClient opens its own connection pool. Cached on globalThis so',
    '// hot reloads in development reuse it instead of opening a new pool each time.',
    `const globalForPrisma = globalThis${globalType};`,
    '',
    `export const prisma = globalForPrisma.prisma ?? new ${className}(${options ?? ''});`,
    '',
    "if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;",
    '',
    'export default prisma;',
    '',
  ].join('\n');
}

function rewrite({ file, j, options, report, isReported, findings }: TransformContext): string | undefined {
  const source = file.source;
  const root = j(source);
  const classNames = prismaClientNames(j, root);
  if (classNames.size === 0) return undefined;
  // Only the clients the rule reports: not a test file's, another database's, or the singleton itself.
  const found = findClientSites(j, root, classNames);
  const sites = found.sites.filter((site) => isReported(site.construction));
  const unsupported = found.unsupported.filter((node) => isReported(node));
  for (const node of unsupported) {
    report('not rewritten: this PrismaClient is not a plain `const x = new PrismaClient(...)` declaration (built dynamically or inline); replace it with the shared client by hand', lineOf(node));
  }
  // Two modules each export the app's client: which importers move is a person's call (the rule names the other one).
  const rivals = findings.filter((message) => message.messageId === 'otherSharedClient');
  for (const finding of rivals) {
    report(`not rewritten: ${finding.message.replace(/ Import the client from .*$/, '')} Point this module's importers at the other module, then delete this one`, finding.line);
  }
  if (rivals.length > 0) return undefined;
  // A script already built from the app's settings lacks only its `$disconnect()`, which a person places.
  const withoutDisconnect = findings.filter((message) => message.messageId === 'scriptWithoutDisconnect');
  for (const finding of withoutDisconnect) {
    report('not rewritten: the script already builds its client from the app\'s settings; add `await prisma.$disconnect()` in a `finally` where its work ends', finding.line);
  }
  if (withoutDisconnect.length > 0) return undefined;
  // This module creates another client already (the app's, often under a cache helper or an export
  // alias this codemod cannot bind to): the second one is for a person to fold into it, never to move.
  const seconds = findings.filter((message) => message.messageId === 'secondClient');
  for (const finding of seconds) {
    report('not rewritten: this module already creates another PrismaClient; make this one a variant of it (`$extends` for logging or read replicas, `$on` on the first client) instead of a second pool', finding.line);
  }
  if (seconds.length > 0) return undefined;
  if (sites.length === 0) return undefined;
  // A module that exports its client is the singleton itself: a second client there is for a person to merge.
  if (exportedClients(file.path, source).length > 0) {
    for (const site of sites) report('not rewritten: this module exports the shared client itself; use that client here instead of creating another', lineOf(site.construction));
    return undefined;
  }

  // A client for another database is not reported by the rule (allowSeparateDatabase), so not here either.
  let rewritable = sites;
  const localNames = new Set(rewritable.map((site) => site.name));
  if (localNames.size > 1) {
    report('not rewritten: several clients with different names in one file; merge them by hand', lineOf(rewritable[1].construction));
    return undefined;
  }
  const [localName] = localNames;
  const moduleBinding = root.find(j.VariableDeclarator, { id: { name: localName } }).filter((path) => j.Program.check(path.parent?.parent?.node));
  if (rewritable.some((site) => !site.moduleScope) && moduleBinding.length > 0 && !rewritable.some((site) => site.moduleScope)) {
    report(`not rewritten: \`${localName}\` is also a module-level name here`, lineOf(rewritable[0].construction));
    return undefined;
  }

  const projectDir = projectRoot(file.path);
  const typescript = TYPESCRIPT_FILE.test(file.path);
  const usesEsm = root.find(j.ImportDeclaration).length > 0 || !/\brequire\s*\(/.test(source);
  const configured = typeof options['singleton-path'] === 'string' ? resolve(projectDir, options['singleton-path']) : undefined;
  let singleton: Singleton | undefined;
  let choice: string | undefined;
  if (configured) {
    const existing = safeRead(configured);
    if (existing !== undefined) {
      const binding = preferredExport(exportedClients(configured, existing));
      if (!binding) {
        report(`not rewritten: ${relative(projectDir, configured)} (--singleton-path) exports no Prisma client; export the client from it, or name the module that does`, lineOf(rewritable[0].construction));
        return undefined;
      }
      singleton = { path: configured, ...binding };
    }
  } else {
    const search = findSingleton(projectDir, file.path);
    singleton = search.singleton;
    if (singleton && search.candidates.length > 1) {
      choice = `several modules export a Prisma client (${search.candidates.map((candidate) => relative(projectDir, candidate.path)).sort().join(', ')}): imported the one in ${relative(projectDir, singleton.path)}`;
    }
  }
  const target = singleton?.path ?? configured ?? join(projectDir, typescript ? DEFAULT_SINGLETON : DEFAULT_SINGLETON.replace(/\.ts$/, '.js'));

  // `node script.js` cannot load a .ts module (MODULE_NOT_FOUND): only a project that compiles its JavaScript can.
  if (!typescript && TYPESCRIPT_FILE.test(target)) {
    const { allowJs, tsconfig } = compilesJavaScript(file.path, projectDir);
    if (!allowJs) {
      const where = tsconfig ? relative(projectDir, tsconfig) : 'a tsconfig.json';
      for (const site of rewritable) {
        report(`not rewritten: the shared client (${relative(projectDir, target)}) is TypeScript and this JavaScript file cannot require it (no \`allowJs\` in ${where}); require its compiled output or convert this file to TypeScript`, lineOf(site.construction));
      }
      return undefined;
    }
  }

  // Options the shared client does not have (log levels, another pool size, timeouts) would be lost.
  if (singleton?.options !== undefined) {
    const shared = singleton.options;
    const differing = rewritable.filter((site) => {
      const own = clientSettings(optionsOf(source, site.construction));
      return own !== '' && own !== shared;
    });
    for (const site of differing) {
      report(
        `not rewritten: this client has settings of its own (\`${clientSettings(optionsOf(source, site.construction))}\`) that the shared client in ${relative(projectDir, singleton.path)} does not have; importing the shared one would drop them: move them to the shared client (or keep this client on purpose), then import it`,
        lineOf(site.construction),
      );
    }
    rewritable = rewritable.filter((site) => !differing.includes(site));
    if (rewritable.length === 0) return undefined;
  }

  if (!singleton) {
    // A script beside an app whose client a framework holds: no module exports that client to import, and
    // one made for the script would be a client the app does not use, its settings a copy of the script's.
    const held = findings.every((message) => message.messageId === 'scriptClient') ? frameworkHeldClients(projectDir, file.path) : [];
    if (held.length > 0) {
      const where = held.join(', ');
      for (const site of rewritable) {
        report(
          `not rewritten: the app's client is made in ${where}, where the framework holds it, and no module exports it for this script to import; export it from a module both can import (then run the codemod again), or keep this client with a small pool and \`$disconnect()\` when the script ends`,
          lineOf(site.construction),
        );
      }
      return undefined;
    }
    const text = createSingleton(file.path, target, source, root, j, rewritable[0], typescript, !usesEsm);
    const createdOptions = clientSettings(optionsOf(source, rewritable[0].construction));
    if (options.dry) {
      report(`would create the shared client at ${relative(projectDir, target)} (dry run)`);
      singleton = { path: target, exportName: 'prisma', syntax: usesEsm ? 'esm' : 'commonjs', options: createdOptions };
    } else {
      try {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, text, { flag: 'wx' }); // exactly once, even with parallel workers
        report(`created the shared client at ${relative(projectDir, target)}`);
        singleton = { path: target, exportName: 'prisma', syntax: usesEsm ? 'esm' : 'commonjs', options: createdOptions };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          report(`not rewritten: could not create ${relative(projectDir, target)}: ${(error as Error).message}`);
          return undefined;
        }
        // Another worker created it meanwhile, or the file is there and is something else.
        const binding = preferredExport(exportedClients(target, safeRead(target) ?? ''));
        if (!binding) {
          report(`not rewritten: ${relative(projectDir, target)} exists and exports no Prisma client; export the shared client from it, or name another module with --singleton-path`, lineOf(rewritable[0].construction));
          return undefined;
        }
        singleton = { path: target, ...binding };
      }
    }
    rememberSingleton(projectDir, singleton);
  }

  const edits: TextEdit[] = [];
  for (const site of rewritable) {
    edits.push(removeStatementEdit(source, offsets(site.declaration.node).start, offsets(site.declaration.node).end));
    if (site.moduleScope) continue;
    // A per-call client disconnected itself; the shared one must stay connected for other requests.
    const fn = site.declaration.parent?.parent;
    j(fn as unknown as ASTPath)
      .find(j.ExpressionStatement)
      .filter((path) => {
        let expression = path.node.expression as Node;
        if (j.AwaitExpression.check(expression)) expression = expression.argument as Node;
        return (
          j.CallExpression.check(expression) &&
          j.MemberExpression.check(expression.callee) &&
          j.Identifier.check(expression.callee.object) &&
          expression.callee.object.name === site.name &&
          j.Identifier.check(expression.callee.property) &&
          expression.callee.property.name === '$disconnect'
        );
      })
      .forEach((path) => edits.push(removeStatementEdit(source, offsets(path.node).start, offsets(path.node).end)));
  }

  // The import of the shared client, in the file's own module style.
  const imports = root.find(j.ImportDeclaration);
  const jsSuffix = /from\s+['"]\.{1,2}\/[^'"]+\.js['"]/.test(source);
  const specifier = importSpecifier(file.path, singleton.path, jsSuffix);
  const quote = /from\s+"/.test(source) || (!usesEsm && /require\("/.test(source)) ? '"' : "'";
  const binding = singleton.exportName === 'default' ? localName : singleton.exportName === localName ? `{ ${localName} }` : `{ ${singleton.exportName} as ${localName} }`;
  const cjsBinding = singleton.exportName === 'default' ? localName : singleton.exportName === localName ? `{ ${localName} }` : `{ ${singleton.exportName}: ${localName} }`;
  // require() of an ES module's default export (compiled by TypeScript or Node's require(esm)) is `{ default }`.
  const requiredValue = singleton.exportName === 'default' && singleton.syntax === 'esm' ? '.default' : '';
  const statement = usesEsm
    ? `import ${binding} from ${quote}${specifier}${quote};`
    : `const ${cjsBinding} = require(${quote}${specifier}${quote})${requiredValue};`;

  // Imports that only served the removed clients (the PrismaClient class, a driver adapter) go too.
  const removedText = rewritable.map((site) => source.slice(offsets(site.declaration.node).start, offsets(site.declaration.node).end)).join('\n');
  const remaining = applyEdits(source, edits);
  const unused = (name: string): boolean => new RegExp(`\\b${name}\\b`).test(removedText) && (remaining.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0) <= 1;
  const removedStatements = new Map<Node, TextEdit>();
  imports.forEach((path) => {
    const specifiers = path.node.specifiers ?? [];
    const kept = specifiers.filter((item) => !unused(String(item.local?.name ?? '')));
    const { start, end } = offsets(path.node);
    if (kept.length === specifiers.length) return;
    if (kept.length === 0) {
      const removal = removeStatementEdit(source, start, end);
      removedStatements.set(path.node, removal);
      edits.push(removal);
    }
    else {
      const text = source.slice(start, end);
      let next = text;
      for (const item of specifiers.filter((specifier) => !kept.includes(specifier))) {
        const local = String(item.local?.name ?? '');
        // `{ PrismaClient, User }` → `{ User }`, `{ User, PrismaClient }` → `{ User }`: the spacing inside the braces stays.
        next = next.replace(new RegExp(`\\b(?:\\w+\\s+as\\s+)?${local}\\b\\s*,\\s*|\\s*,\\s*\\b(?:\\w+\\s+as\\s+)?${local}\\b`), '');
      }
      edits.push({ start, end, text: next });
    }
  });
  root.find(j.VariableDeclaration).filter((path) => j.Program.check(path.parent?.node)).forEach((path) => {
    const declarator = path.node.declarations[0];
    if (path.node.declarations.length !== 1 || !j.VariableDeclarator.check(declarator) || !j.ObjectPattern.check(declarator.id)) return;
    const init = declarator.init as { callee?: { name?: string }; arguments?: { value?: unknown }[] } | null;
    if (init?.callee?.name !== 'require' || !PRISMA_MODULE.test(String(init.arguments?.[0]?.value))) return;
    const names = declarator.id.properties.map((property) => ((property as { value?: { name?: string } }).value?.name ?? ''));
    if (!names.every(unused)) return;
    const removal = removeStatementEdit(source, offsets(path.node).start, offsets(path.node).end);
    removedStatements.set(path.node, removal);
    edits.push(removal);
  });
  const lastImport = imports.length > 0 ? imports.paths()[imports.length - 1].node : undefined;
  const lastRequire = root.find(j.VariableDeclaration).filter((path) => j.Program.check(path.parent?.node) && /require\(/.test(source.slice(offsets(path.node).start, offsets(path.node).end))).nodes().at(-1);
  const after = usesEsm ? lastImport : lastRequire;
  const newline = source.includes('\r\n') ? '\r\n' : '\n';
  // After the last import, or where it stood when it goes (its removal may take the blank line after it).
  const removedAnchor = after && removedStatements.get(after);
  if (removedAnchor) {
    // The removal took the blank line after the imports with it: the new import puts it back.
    const anchorLineEnd = source.indexOf('\n', offsets(after).end);
    const tookBlankLine = anchorLineEnd !== -1 && removedAnchor.end > anchorLineEnd + 1;
    edits.push({ start: removedAnchor.start, end: removedAnchor.start, text: `${statement}${newline}${tookBlankLine ? newline : ''}` });
  }
  else if (after) edits.push({ start: offsets(after).end, end: offsets(after).end, text: `${newline}${statement}` });
  else edits.push({ start: 0, end: 0, text: `${statement}${newline}` });
  if (choice) report(choice);
  return applyEdits(source, edits);
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const transform = createTransform(/PrismaClient/, rewrite, { name: 'no-multiple-prisma-clients', rule });
export default leaveUndecodableFilesAlone(transform);
