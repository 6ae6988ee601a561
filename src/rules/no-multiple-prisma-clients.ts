import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { minimatch } from 'minimatch';
import { getPropertyName, getStaticString, resolveInitializer, unwrapExpression, walk } from '../core/ast';
import { createRule } from '../core/create-rule';
import { IGNORE_FILES_SCHEMA, isIgnoredFile, relativeToCwd, TEST_FILE_GLOBS } from '../core/test-files';
import { getImportBinding, getModuleSource } from '../core/module-source';
import { nearestPackageDirectory } from '../core/project-root';
import { isPrismaClientClass, pointsToSeparateDatabase } from '../prisma/prisma-client';
import { findExportedPrismaClients } from '../prisma/prisma-client-export';
import { packageClientModules } from '../prisma/prisma-client-index';

export type Options = [
  {
    /** Globs of the one module allowed to create the client; when set, any other instantiation is reported. */
    singletonModule?: string[];
    /** Globs of files where extra clients are fine (tests create their own against a test database). */
    ignoreFiles?: readonly string[];
    /** Accept a client whose options read another database's URL (a second datasource). */
    allowSeparateDatabase?: boolean;
  },
];

export type MessageIds =
  | 'clientPerCall'
  | 'secondClient'
  | 'privateClient'
  | 'scriptClient'
  | 'scriptWithoutDisconnect'
  | 'outsideSingleton'
  | 'providerClient'
  | 'serviceByHand'
  | 'providerAlsoImported'
  | 'otherSharedClient';

const DEFAULT_IGNORE_FILES = TEST_FILE_GLOBS;

/** Files that run as their own process and exit: a seed, a backfill, a one-off script. */
const SCRIPT_PATH = /(?:^|\/)(?:prisma\/seeds?(?:\/|\.)|seeds?\/|seed\.[cm]?[jt]sx?$|scripts?\/)/;

const FUNCTION_TYPES = new Set<string>([
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.FunctionExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
]);

type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
/** How often the code around a `new PrismaClient()` runs. */
type Lifetime = 'module' | 'once' | 'perCall' | 'provider';

export default createRule<Options, MessageIds>({
  name: 'no-multiple-prisma-clients',
  meta: {
    defaultOptions: [{ ignoreFiles: DEFAULT_IGNORE_FILES, allowSeparateDatabase: true }],
    type: 'problem',
    docs: {
      description: 'Allow one PrismaClient per process: each instance opens its own connection pool',
      recommended: true,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          singletonModule: {
            type: 'array',
            items: { type: 'string' },
            description: 'Globs (relative to the working directory) of the module that owns the client, e.g. `["src/lib/prisma.ts"]`; any other `new PrismaClient()` is reported.',
          },
          ignoreFiles: IGNORE_FILES_SCHEMA,
          allowSeparateDatabase: {
            type: 'boolean',
            description: 'Accept a client whose constructor options read another database URL than `DATABASE_URL` (a second datasource has its own pool by design).',
          },
        },
      },
    ],
    messages: {
      clientPerCall:
        '`new PrismaClient()` runs on every call here: each client opens its own connection pool, so under load the database runs out of connections (P2024 pool timeouts, "too many connections"). Import the app\'s shared client instead.',
      secondClient:
        'A second PrismaClient in this module opens a second connection pool against the same database once it runs a query. Use one client (a variant that logs or reads replicas can be `$extends` of it).',
      privateClient:
        'This module creates its own PrismaClient instead of importing the shared one: its pool adds to the app\'s and exhausts the database\'s connections (a server and a job with 10 connections each hold 20). Import the exported client.',
      scriptClient:
        'This script runs as its own process, so it holds one pool for its run whichever client it uses; building the client here copies the app\'s settings (adapter, pool size), which then drift apart. Import the app\'s client or its adapter factory, keep the pool small, and disconnect when the script ends.',
      scriptWithoutDisconnect:
        'This script builds its client from the app\'s settings but never calls `$disconnect()`, so its connections stay open until the process exits. Call `await prisma.$disconnect()` in a `finally` when the script ends.',
      outsideSingleton:
        'PrismaClient is created outside {{singleton}}: every extra client opens its own connection pool. Import the client from {{singleton}}.',
      providerClient:
        '`{{provider}}` creates its own PrismaClient: Nest makes it once, but every provider that does this adds a connection pool. Inject the app\'s PrismaService instead.',
      serviceByHand:
        '`new {{service}}()` outside Nest\'s injector is a second instance with its own connection pool, next to the one Nest provides. Inject it (or `app.get({{service}})`).',
      providerAlsoImported:
        '`{{provider}}` is listed in this module\'s providers although it imports {{module}}, which provides it: this module gets a second instance with its own connection pool. Remove it from providers.',
      otherSharedClient:
        '{{other}} also exports a PrismaClient: the app has two shared clients and two connection pools. Import the client from {{other}} and remove this one.',
    },
  },
  create(context, [{ singletonModule, ignoreFiles = DEFAULT_IGNORE_FILES, allowSeparateDatabase = true }]) {
    const { sourceCode } = context;
    if (!/PrismaClient|Prisma|@Module/.test(sourceCode.text)) return {};
    const relativeFile = relativeToCwd(context.filename, context.cwd);
    if (isIgnoredFile(context.filename, context.cwd, ignoreFiles)) return {};
    const isSingletonModule = singletonModule?.some((glob) => minimatch(relativeFile, glob, { dot: true }));

    /** Clients made once per process in this module (module level, or by code that runs once), in source order. */
    const onceClients: { node: TSESTree.NewExpression; lifetime: Lifetime }[] = [];
    const lifetimes = new Map<TSESTree.Node, Lifetime>();

    function enclosingFunction(node: TSESTree.Node): TSESTree.Node | undefined {
      for (let current = node.parent; current; current = current.parent) {
        if (FUNCTION_TYPES.has(current.type) || current.type === AST_NODE_TYPES.PropertyDefinition || current.type === AST_NODE_TYPES.StaticBlock) return current;
      }
      return undefined;
    }

    /**
     * `globalThis.prisma ??= new PrismaClient()`, `if (!client) client = new PrismaClient()`, `cache.set(key, make())`:
     * the value is kept outside the function, so it is created once.
     */
    function isCachedOutsideFunction(node: TSESTree.Node, scope: TSESLint.Scope.Scope): boolean {
      let child: TSESTree.Node = node;
      let parent = node.parent;
      while (parent && (parent.type === AST_NODE_TYPES.LogicalExpression || parent.type === AST_NODE_TYPES.TSAsExpression || parent.type === AST_NODE_TYPES.ChainExpression || parent.type === AST_NODE_TYPES.AwaitExpression)) {
        child = parent;
        parent = parent.parent;
      }
      // `cache.set(key, make())` on a module-level Map.
      if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(child as TSESTree.CallExpressionArgument)) {
        const callee = unwrapExpression(parent.callee);
        if (callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(callee) === 'set') {
          // `cache.set(…)`, `globalThis.__prisma_remember.set(…)`, `const g = globalThis; g.cache.set(…)`
          let base = unwrapExpression(callee.object);
          while (base.type === AST_NODE_TYPES.MemberExpression) base = unwrapExpression(base.object);
          return base.type === AST_NODE_TYPES.Identifier && (isModuleOrGlobal(base, scope) || holdsGlobalObject(base, scope));
        }
        return false;
      }
      if (parent?.type !== AST_NODE_TYPES.AssignmentExpression || parent.right !== child) return false;
      const target = unwrapExpression(parent.left);
      if (target.type === AST_NODE_TYPES.MemberExpression) {
        let base = unwrapExpression(target.object);
        while (base.type === AST_NODE_TYPES.MemberExpression) base = unwrapExpression(base.object);
        if (base.type === AST_NODE_TYPES.ThisExpression) return false; // one per instance
        return base.type === AST_NODE_TYPES.Identifier && (isModuleOrGlobal(base, scope) || holdsGlobalObject(base, scope));
      }
      return target.type === AST_NODE_TYPES.Identifier && isModuleOrGlobal(target, scope);
    }

    /** `const store = globalThis as unknown as Record<string, T>`: a local name for the global object. */
    function holdsGlobalObject(identifier: TSESTree.Identifier, scope: TSESLint.Scope.Scope): boolean {
      const init = resolveInitializer(identifier, scope);
      const value = init && unwrapExpression(init);
      return value?.type === AST_NODE_TYPES.Identifier && (value.name === 'globalThis' || value.name === 'global');
    }

    function isModuleOrGlobal(identifier: TSESTree.Identifier, scope: TSESLint.Scope.Scope): boolean {
      if (identifier.name === 'globalThis' || identifier.name === 'global') return true;
      const variable = ASTUtils.findVariable(scope, identifier);
      if (!variable) return true; // an undeclared global
      return variable.scope.type === 'module' || variable.scope.type === 'global';
    }

    /** How often code directly inside `fn` (a function, a class field, a static block) runs. */
    function lifetimeOf(fn: TSESTree.Node | undefined, depth = 0): Lifetime {
      if (!fn) return 'module';
      const known = lifetimes.get(fn);
      if (known) return known;
      lifetimes.set(fn, 'perCall'); // a cycle of calls runs per call
      const lifetime = depth > 8 ? 'perCall' : computeLifetime(fn, depth);
      lifetimes.set(fn, lifetime);
      return lifetime;
    }

    function computeLifetime(fn: TSESTree.Node, depth: number): Lifetime {
      if (fn.type === AST_NODE_TYPES.StaticBlock) return lifetimeOf(enclosingFunction(fn), depth + 1) === 'module' ? 'once' : 'perCall';
      if (fn.type === AST_NODE_TYPES.PropertyDefinition) {
        const owner = fn.parent.parent;
        if (fn.static) return lifetimeOf(enclosingFunction(owner), depth + 1) === 'module' ? 'once' : 'perCall';
        return classInstanceLifetime(owner, depth);
      }
      const func = fn as FunctionNode;
      const parent = func.parent;
      if (parent?.type === AST_NODE_TYPES.MethodDefinition && parent.kind === 'constructor') return classInstanceLifetime(parent.parent.parent, depth);
      if (parent?.type === AST_NODE_TYPES.Property && parent.value === func) {
        const key = getPropertyName(parent);
        const object = parent.parent;
        // Nest: `{ provide: PrismaService, useFactory: () => new PrismaClient() }` runs once, unless request- or transient-scoped.
        if (key === 'useFactory' && object.type === AST_NODE_TYPES.ObjectExpression) return providerScopeIsPerRequest(object) ? 'perCall' : 'once';
        // Hapi: `{ name: 'prisma', register: async (server) => { ... } }`, registered once per server.
        if (key === 'register' && object.type === AST_NODE_TYPES.ObjectExpression && object.properties.some((property) => property.type === AST_NODE_TYPES.Property && ['name', 'pkg'].includes(getPropertyName(property) ?? ''))) return 'once';
      }
      if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(func as TSESTree.CallExpressionArgument)) {
        if (isPluginRegistration(parent)) return 'once';
        if (isCachingCall(parent, func)) return 'once';
      }
      // A named plugin or factory: how it is used decides (`fp(prismaPlugin)`, `const client = () => new PrismaClient()`).
      return referencedFunctionLifetime(func, depth);
    }

    /** `fp(fn)` / `fastifyPlugin(fn)` (fastify-plugin), `app.register(fn)`, `server.register({ plugin })`: runs when registered. */
    function isPluginRegistration(call: TSESTree.CallExpression): boolean {
      const callee = unwrapExpression(call.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression) return getPropertyName(callee) === 'register';
      if (callee.type !== AST_NODE_TYPES.Identifier) return false;
      const source = getModuleSource(callee, sourceCode.getScope(callee));
      return source === 'fastify-plugin' || (source === undefined && /^(?:fp|fastifyPlugin)$/.test(callee.name));
    }

    /**
     * `remember('prisma', () => new PrismaClient())`: a helper that keeps what the callback returns. `@epic-web/remember`
     * does exactly that; a local helper is read: it calls the callback and stores the result outside itself. An
     * imported one (documenso's `./utils/remember`, Epic Stack's `./singleton.server`) cannot be read from here: its
     * call shape says it, a name to cache under and the factory, `singleton('prisma', () => new PrismaClient())`.
     */
    function isCachingCall(call: TSESTree.CallExpression, callback: FunctionNode): boolean {
      const callee = unwrapExpression(call.callee);
      if (callee.type !== AST_NODE_TYPES.Identifier) return false;
      const scope = sourceCode.getScope(callee);
      const source = getModuleSource(callee, scope);
      if (source === '@epic-web/remember') return true;
      if (source !== undefined) return isNamedFactoryCall(call, callback, scope);
      const helper = localFunction(callee, scope);
      const parameter = helper?.params[call.arguments.indexOf(callback as TSESTree.CallExpressionArgument)];
      if (!helper || parameter?.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = ASTUtils.findVariable(sourceCode.getScope(helper.body), parameter);
      return (variable?.references ?? []).some((reference) => {
        const use = reference.identifier.parent;
        return use?.type === AST_NODE_TYPES.CallExpression && use.callee === reference.identifier && isCachedOutsideFunction(use, sourceCode.getScope(use));
      });
    }

    /** `helper('prisma', () => …)`: a static cache key, then the factory, nothing else. */
    function isNamedFactoryCall(call: TSESTree.CallExpression, callback: FunctionNode, scope: TSESLint.Scope.Scope): boolean {
      const [key, factory] = call.arguments;
      return call.arguments.length === 2 && factory === callback && callback.params.length === 0 && key !== undefined && getStaticString(key, scope) !== undefined;
    }

    function localFunction(identifier: TSESTree.Identifier, scope: TSESLint.Scope.Scope): FunctionNode | undefined {
      const definition = ASTUtils.findVariable(scope, identifier)?.defs[0];
      let fn: TSESTree.Node | undefined;
      if (definition?.type === 'FunctionName') fn = definition.node;
      else if (definition?.type === 'Variable' && definition.node.type === AST_NODE_TYPES.VariableDeclarator && definition.node.init) fn = unwrapExpression(definition.node.init);
      return fn && FUNCTION_TYPES.has(fn.type) ? (fn as FunctionNode) : undefined;
    }

    /** The lifetime of a named function from its uses: the most frequent of where it is called (or registered). */
    function referencedFunctionLifetime(fn: FunctionNode, depth: number): Lifetime {
      const binding =
        fn.type === AST_NODE_TYPES.FunctionDeclaration
          ? fn.id
          : fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.id.type === AST_NODE_TYPES.Identifier
            ? fn.parent.id
            : undefined;
      if (!binding) return 'perCall';
      const variable = ASTUtils.findVariable(sourceCode.getScope(fn), binding);
      const uses = variable?.references.filter((reference) => !reference.init && reference.identifier.parent?.type !== AST_NODE_TYPES.TSTypeQuery) ?? [];
      if (uses.length === 0) return 'perCall';
      for (const { identifier } of uses) {
        const use = identifier.parent;
        if (use?.type === AST_NODE_TYPES.CallExpression && use.callee === identifier) {
          // `class PrismaService extends makeBase()`: the base class it returns is what Nest instantiates.
          if (use.parent?.type === AST_NODE_TYPES.ClassDeclaration || use.parent?.type === AST_NODE_TYPES.ClassExpression) {
            if (use.parent.superClass === use && classInstanceLifetime(use.parent, depth + 1) !== 'perCall') continue;
            return 'perCall';
          }
          const where = lifetimeOf(enclosingFunction(use), depth + 1);
          if (where === 'module' || where === 'once') continue;
          return where;
        }
        if (use?.type === AST_NODE_TYPES.CallExpression && use.arguments.includes(identifier as TSESTree.Identifier) && isPluginRegistration(use)) continue;
        return 'perCall';
      }
      return 'once';
    }

    /**
     * How often a class's fields and constructor run: once for a Nest provider (unless request-scoped) and for the base
     * class of one, once for a class instantiated only at load; else once per `new`, a client per instance.
     */
    function classInstanceLifetime(owner: TSESTree.Node, depth: number): Lifetime {
      if (owner.type !== AST_NODE_TYPES.ClassDeclaration && owner.type !== AST_NODE_TYPES.ClassExpression) return 'perCall';
      const injectable = injectableDecorator(owner);
      if (injectable) {
        if (injectable === 'perRequest') return 'perCall';
        return isClientWrapper(owner) ? 'once' : 'provider';
      }
      // `const Base = class { constructor() { return makeClient(); } }`, `class PrismaService extends Base`.
      let holder: TSESTree.Node = owner;
      while (holder.parent && [AST_NODE_TYPES.TSAsExpression, AST_NODE_TYPES.TSTypeAssertion, AST_NODE_TYPES.TSSatisfiesExpression].includes(holder.parent.type as AST_NODE_TYPES)) holder = holder.parent;
      const name =
        owner.type === AST_NODE_TYPES.ClassDeclaration
          ? owner.id
          : holder.parent?.type === AST_NODE_TYPES.VariableDeclarator && holder.parent.id.type === AST_NODE_TYPES.Identifier
            ? holder.parent.id
            : undefined;
      if (holder.parent?.type === AST_NODE_TYPES.ReturnStatement || (holder.parent && FUNCTION_TYPES.has(holder.parent.type))) {
        // Returned by a factory: as often as the factory runs (`extends makeBase()` counts as once per provider).
        const factory = holder.parent.type === AST_NODE_TYPES.ReturnStatement ? enclosingFunction(holder.parent) : holder.parent;
        const lifetime = lifetimeOf(factory, depth + 1);
        return lifetime === 'module' ? 'once' : lifetime;
      }
      if (!name) return 'perCall';
      const variables = owner.type === AST_NODE_TYPES.ClassDeclaration ? sourceCode.getDeclaredVariables(owner) : sourceCode.getDeclaredVariables(holder.parent!);
      const uses = variables.flatMap((variable) => variable.references).filter((reference) => !reference.init && reference.identifier !== name);
      if (uses.length === 0) return 'perCall';
      for (const { identifier } of uses) {
        const use = identifier.parent;
        if ((use?.type === AST_NODE_TYPES.ClassDeclaration || use?.type === AST_NODE_TYPES.ClassExpression) && use.superClass === identifier) {
          if (classInstanceLifetime(use, depth + 1) === 'perCall') return 'perCall';
          continue;
        }
        if (use?.type === AST_NODE_TYPES.NewExpression && use.callee === identifier) {
          const where = lifetimeOf(enclosingFunction(use), depth + 1);
          if (where === 'module' || where === 'once') continue;
          return 'perCall';
        }
        if (use?.type === AST_NODE_TYPES.TSTypeQuery || use?.type === AST_NODE_TYPES.TSTypeReference) continue;
        return 'perCall'; // exported or passed around: instantiated who knows how often
      }
      return 'once';
    }

    /** A Nest `@Injectable()` class: `'singleton'` (the default scope) or `'perRequest'` (`Scope.REQUEST`/`TRANSIENT`). */
    function injectableDecorator(owner: TSESTree.ClassDeclaration | TSESTree.ClassExpression): 'singleton' | 'perRequest' | undefined {
      for (const decorator of owner.decorators) {
        const call = unwrapExpression(decorator.expression);
        const callee = call.type === AST_NODE_TYPES.CallExpression ? unwrapExpression(call.callee) : call;
        if (callee.type !== AST_NODE_TYPES.Identifier || callee.name !== 'Injectable') continue;
        const options = call.type === AST_NODE_TYPES.CallExpression && call.arguments[0] ? unwrapExpression(call.arguments[0]) : undefined;
        return options?.type === AST_NODE_TYPES.ObjectExpression && providerScopeIsPerRequest(options) ? 'perRequest' : 'singleton';
      }
      return undefined;
    }

    /** The provider whose job is to hold the client (`PrismaService`, `DatabaseService`), not a service that uses one. */
    function isClientWrapper(owner: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
      const name = owner.id?.name ?? (owner.parent?.type === AST_NODE_TYPES.VariableDeclarator && owner.parent.id.type === AST_NODE_TYPES.Identifier ? owner.parent.id.name : '');
      return /prisma|database|^db|dbservice|orm/i.test(name);
    }

    return {
      NewExpression(node) {
        const scope = sourceCode.getScope(node);
        const service = !isPrismaClientClass(node.callee, scope) && handMadeService(node.callee, scope);
        if (!service && !isPrismaClientClass(node.callee, scope)) return;
        if (allowSeparateDatabase && pointsToSeparateDatabase(node.arguments[0], scope)) return;
        const fn = enclosingFunction(node);
        if (service) {
          // `useFactory: () => new PrismaService()` is how Nest is told to make it; anywhere else it is a second one.
          const parent = fn?.parent;
          if (!(parent?.type === AST_NODE_TYPES.Property && getPropertyName(parent) === 'useFactory')) context.report({ node, messageId: 'serviceByHand', data: { service } });
          return;
        }
        if (singletonModule && singletonModule.length > 0 && !isSingletonModule) {
          context.report({ node, messageId: 'outsideSingleton', data: { singleton: singletonModule.join(', ') } });
          return;
        }
        const lifetime = fn && isCachedOutsideFunction(node, scope) ? 'once' : lifetimeOf(fn);
        if (lifetime === 'perCall') context.report({ node, messageId: 'clientPerCall' });
        else if (lifetime === 'provider') context.report({ node, messageId: 'providerClient', data: { provider: providerName(node) } });
        else onceClients.push({ node, lifetime });
      },
      Decorator(node) {
        const call = unwrapExpression(node.expression);
        if (call.type !== AST_NODE_TYPES.CallExpression || call.callee.type !== AST_NODE_TYPES.Identifier || call.callee.name !== 'Module') return;
        const metadata = call.arguments[0] && unwrapExpression(call.arguments[0]);
        if (metadata?.type !== AST_NODE_TYPES.ObjectExpression) return;
        const listed = (key: string): TSESTree.Identifier[] => {
          const property = metadata.properties.find((item): item is TSESTree.Property => item.type === AST_NODE_TYPES.Property && getPropertyName(item) === key);
          const array = property && unwrapExpression(property.value);
          return array?.type === AST_NODE_TYPES.ArrayExpression
            ? array.elements.filter((element): element is TSESTree.Identifier => element?.type === AST_NODE_TYPES.Identifier)
            : [];
        };
        // Only a provably second instance: this module provides the class and imports the module that provides it.
        // "Provided without being exported" alone is one instance, in the one module that lists it.
        const providerModule = listed('imports').find((imported) => /^(?:Prisma|Database|Db|Orm)\w*Module$/.test(imported.name));
        if (!providerModule) return;
        for (const provider of listed('providers')) {
          if (!isPrismaProvider(provider, sourceCode.getScope(provider))) continue;
          context.report({ node: provider, messageId: 'providerAlsoImported', data: { provider: provider.name, module: providerModule.name } });
        }
      },
      'Program:exit'(program) {
        if (onceClients.length === 0) return;
        const getScope = (node: TSESTree.Node) => sourceCode.getScope(node);
        // What the codemod imports from other files is this same analysis: the exported client, and only a client.
        const exportedBindings = findExportedPrismaClients(program, getScope);
        const exported = new Set(exportedBindings.flatMap((binding) => binding.constructions));
        const kept: TSESTree.NewExpression[] = [];
        for (const { node: client, lifetime } of onceClients) {
          // `production ? new PrismaClient() : global.prisma ??= new PrismaClient()`: one client either way.
          if (kept.some((other) => !mutuallyExclusive(other, client))) {
            context.report({ node: client, messageId: 'secondClient' });
            continue;
          }
          kept.push(client);
          const exclusiveWithExported = [...exported].some((other) => other !== client && mutuallyExclusive(other, client));
          if (lifetime !== 'module' || exported.has(client) || exclusiveWithExported || isSingletonModule || isHandedToFramework(client, getScope)) continue;
          if (!isScript(program)) {
            context.report({ node: client, messageId: 'privateClient' });
            continue;
          }
          // formbricks' seed: `new PrismaClient({ adapter: createPrismaPgAdapter().adapter })` and a `$disconnect()`
          // at the end: the app's settings, one pool for the run, closed when done. Nothing is left to change.
          if (buildsFromImportedSettings(client, getScope)) {
            if (!/\$disconnect\s*\(/.test(sourceCode.text)) context.report({ node: client, messageId: 'scriptWithoutDisconnect' });
            continue;
          }
          context.report({ node: client, messageId: 'scriptClient' });
        }
        if (exportedBindings.length > 0 && !isSingletonModule) reportRivalSharedClient(exportedBindings[0].constructions[0]);
      },
    };

    /** Another module of the package exports a client too and is the more conventional home: this file should import it. */
    function reportRivalSharedClient(client: TSESTree.NewExpression | undefined): void {
      if (!client || !isAbsolute(context.filename) || !existsSync(context.filename)) return;
      const root = nearestPackageDirectory(context.filename);
      if (!root) return;
      const modules = packageClientModules(root);
      const self = resolve(context.filename);
      const first = modules[0];
      if (!first || first.path === self || !modules.some((module) => module.path === self)) return;
      context.report({ node: client, messageId: 'otherSharedClient', data: { other: relative(root, first.path).split(sep).join('/') } });
    }

    /** A seed, backfill or one-off script: by path, or by ending with `main().finally(() => prisma.$disconnect())` and no server. */
    function isScript(program: TSESTree.Program): boolean {
      if (SCRIPT_PATH.test(relativeFile)) return true;
      if (/\.listen\s*\(|createServer|NestFactory|export\s+default\s+(?:async\s+)?function|\bapp\b\s*=/.test(sourceCode.text)) return false;
      return program.body.some((statement) => statement.type === AST_NODE_TYPES.ExpressionStatement && isRunThenDisconnect(statement.expression));
    }

    function providerName(node: TSESTree.Node): string {
      for (let current = node.parent; current; current = current.parent) {
        if ((current.type === AST_NODE_TYPES.ClassDeclaration || current.type === AST_NODE_TYPES.ClassExpression) && current.id) return current.id.name;
      }
      return 'This provider';
    }
  },
});

/**
 * `new PrismaClient({ adapter: createPrismaPgAdapter().adapter })`: every option comes from the app's own modules (an
 * imported factory or config), not from `@prisma/*` or `pg` constructed here.
 */
function buildsFromImportedSettings(client: TSESTree.NewExpression, getScope: (node: TSESTree.Node) => TSESLint.Scope.Scope): boolean {
  const options = client.arguments[0] && unwrapExpression(client.arguments[0]);
  if (client.arguments.length !== 1 || options?.type !== AST_NODE_TYPES.ObjectExpression || options.properties.length === 0) return false;
  return options.properties.every((property) => {
    if (property.type !== AST_NODE_TYPES.Property) return false;
    let value = unwrapExpression(property.value);
    for (let depth = 0; depth < 8; depth++) {
      if (value.type === AST_NODE_TYPES.MemberExpression) value = unwrapExpression(value.object);
      else if (value.type === AST_NODE_TYPES.CallExpression) value = unwrapExpression(value.callee);
      else break;
    }
    if (value.type !== AST_NODE_TYPES.Identifier) return false;
    const source = getModuleSource(value, getScope(value));
    return source !== undefined && !source.startsWith('@prisma/') && source !== 'pg';
  });
}

/** `main().finally(() => prisma.$disconnect())`, `.then(...).catch(...)`: a script's run, then its end. */
function isRunThenDisconnect(expression: TSESTree.Node): boolean {
  let current = unwrapExpression(expression);
  if (current.type === AST_NODE_TYPES.AwaitExpression) current = unwrapExpression(current.argument);
  let disconnects = false;
  while (current.type === AST_NODE_TYPES.CallExpression && current.callee.type === AST_NODE_TYPES.MemberExpression && ['then', 'catch', 'finally'].includes(getPropertyName(current.callee) ?? '')) {
    walk(current, (inner) => {
      if (inner.type === AST_NODE_TYPES.MemberExpression && getPropertyName(inner) === '$disconnect') disconnects = true;
    });
    current = unwrapExpression(current.callee.object);
  }
  return disconnects && current.type === AST_NODE_TYPES.CallExpression && current.callee.type === AST_NODE_TYPES.Identifier;
}

/** Two constructions in different branches of one `if`, `?:`, `??`/`||` or `switch`: only one of them runs. */
function mutuallyExclusive(a: TSESTree.Node, b: TSESTree.Node): boolean {
  const ancestorsOfA: TSESTree.Node[] = [];
  for (let current: TSESTree.Node | undefined = a; current; current = current.parent) ancestorsOfA.push(current);
  let child: TSESTree.Node = b;
  for (let current = b.parent; current; child = current, current = current.parent) {
    const index = ancestorsOfA.indexOf(current);
    if (index === -1) continue;
    const childOfA = ancestorsOfA[index - 1];
    if (!childOfA || childOfA === child) return false;
    switch (current.type) {
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
        return childOfA !== current.test && child !== current.test;
      case AST_NODE_TYPES.LogicalExpression:
        return true;
      case AST_NODE_TYPES.SwitchStatement:
        return childOfA !== current.discriminant && child !== current.discriminant;
      default:
        return false;
    }
  }
  return false;
}

/**
 * A module-level client given to the framework, which shares it: Nest's `{ provide, useValue: prisma }`,
 * Fastify's `decorate('prisma', prisma)`, Hapi's `server.app.prisma = prisma`.
 */
function isHandedToFramework(client: TSESTree.NewExpression, getScope: (node: TSESTree.Node) => TSESLint.Scope.Scope): boolean {
  const uses: TSESTree.Node[] = [client];
  const declarator = client.parent;
  if (declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.init === client && declarator.id.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(getScope(declarator), declarator.id);
    for (const reference of variable?.references ?? []) if (!reference.init) uses.push(reference.identifier);
  }
  return uses.some((use) => {
    const parent = use.parent;
    if (parent?.type === AST_NODE_TYPES.Property && parent.value === use && getPropertyName(parent) === 'useValue') return true;
    if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[1] === use && parent.callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(parent.callee) === 'decorate') return true;
    if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === use && parent.left.type === AST_NODE_TYPES.MemberExpression) {
      const object = unwrapExpression(parent.left.object);
      return object.type === AST_NODE_TYPES.MemberExpression && getPropertyName(object) === 'app';
    }
    return false;
  });
}

function providerScopeIsPerRequest(object: TSESTree.ObjectExpression): boolean {
  const scope = object.properties.find((property): property is TSESTree.Property => property.type === AST_NODE_TYPES.Property && getPropertyName(property) === 'scope');
  if (!scope) return false;
  const value = unwrapExpression(scope.value);
  const name = value.type === AST_NODE_TYPES.MemberExpression ? getPropertyName(value) : value.type === AST_NODE_TYPES.Literal ? String(value.value) : undefined;
  return name === 'REQUEST' || name === 'TRANSIENT' || name === '1' || name === '2';
}

/**
 * `new PrismaService()` of the app's own Nest service: a class named `Prisma…Service` imported from the app (not from
 * `@prisma/client`), or declared here extending PrismaClient. Returns its name.
 */
function handMadeService(callee: TSESTree.Node, scope: TSESLint.Scope.Scope): string | false {
  const expression = unwrapExpression(callee);
  if (expression.type !== AST_NODE_TYPES.Identifier || !/^Prisma\w*Service$/.test(expression.name)) return false;
  const definition = ASTUtils.findVariable(scope, expression)?.defs[0];
  if (definition?.type === 'ClassName' && definition.node.type === AST_NODE_TYPES.ClassDeclaration) {
    const superClass = definition.node.superClass;
    return superClass && isPrismaClientClass(superClass, scope) ? expression.name : false;
  }
  if (definition?.type !== 'ImportBinding') return false;
  const origin = getImportBinding(definition);
  return origin && (origin.module.startsWith('.') || origin.module.startsWith('@/') || origin.module.startsWith('src/')) ? expression.name : false;
}

/** A provider class that is a PrismaClient: it extends one in this file, or is the conventional `PrismaService`. */
function isPrismaProvider(provider: TSESTree.Identifier, scope: TSESLint.Scope.Scope): boolean {
  const definition = ASTUtils.findVariable(scope, provider)?.defs[0];
  if (definition?.type === 'ClassName' && definition.node.type === AST_NODE_TYPES.ClassDeclaration) {
    return definition.node.superClass !== null && definition.node.superClass !== undefined && isPrismaClientClass(definition.node.superClass, scope);
  }
  return /^Prisma(?:Service|Client)$/.test(provider.name);
}

