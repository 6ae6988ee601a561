import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findProperty, getStaticString, prefersDoubleQuotes, resolveInitializer, unwrapExpression } from '../core/ast';
import { createRule } from '../core/create-rule';
import { addPropertyFix } from '../fix/object-property';
import { IGNORE_FILES_SCHEMA, isIgnoredFile, TEST_FILE_GLOBS } from '../core/test-files';
import { commandSitesOf, isDeployFileParse } from '../deploy-files/deploy-file-commands';
import { onDeployFileTree } from '../deploy-files/deploy-file-tree';
import { OTHER_DEPLOY_FILE_LANGUAGES, isJsonLanguageTree } from '../core/languages';
import { isInCliPackage } from '../server/local-tool';
import { findServerCommandProblems, mightHaveServerCommand, viteConfigSetsHost } from '../server/server-commands';
import {
  LOOPBACK_DEFAULT_KINDS,
  SERVER_KIND_NAMES,
  classifyServer,
  closesFromItsHandler,
  isHapiServerFactory,
  isHonoNodeServe,
  MIGHT_START_SERVER,
  isLoopbackHost,
  isEphemeralPort,
  isPortLike,
  readConfiguredHost,
  resolveObjectArgument,
  type ServerKind,
} from '../server/server-listen';

export type Options = [
  {
    /** Report a missing host only where it is really broken (loopback-default servers). */
    allowImplicitNodeDefault?: boolean;
    /** The address used when `HOST` is unset on servers that would otherwise bind localhost. */
    fallbackHost?: string;
    /** Globs of files the rule skips (tests, e2e suites, mocks by default). */
    ignoreFiles?: readonly string[];
    /** Also check code in packages with a `bin` entry (command-line tools, which run on the user's machine). */
    checkCliPackages?: boolean;
  },
];

export type MessageIds =
  | 'missingHostLoopbackDefault'
  | 'missingHostNodeDefault'
  | 'missingHostUnknown'
  | 'serveMissingHost'
  | 'viteMissingHost'
  | 'loopbackHost'
  | 'loopbackFallback'
  | 'unsetHostLoopbackDefault'
  | 'hostnameVariable'
  | 'useConfigurableHost'
  | 'viteCommandMissingHost'
  | 'loopbackHostCommand'
  | 'removeLoopbackHost';

type Fix = TSESLint.ReportFixFunction;


export default createRule<Options, MessageIds>({
  name: 'listen-requires-host',
  meta: {
    defaultOptions: [{ allowImplicitNodeDefault: false, fallbackHost: '0.0.0.0', ignoreFiles: TEST_FILE_GLOBS, checkCliPackages: false }],
    type: 'problem',
    docs: {
      description: 'Require servers (`listen()` calls, `vite` and `next start` commands) to bind a host that is reachable from outside the container',
      recommended: true,
    },
    // Its package.json/deploy-file half reads the JS-style ASTs of jsonc/yaml/toml-eslint-parser and the
    // shell-lines parser: under ESLint's JSON language (`language: 'json/json'`) ESLint 10.2+ refuses to
    // run it instead of dropping those findings silently.
    languages: ['js/js', ...OTHER_DEPLOY_FILE_LANGUAGES],
    fixable: 'code',
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allowImplicitNodeDefault: {
            type: 'boolean',
            description:
              'Do not report a missing host on servers that bind all interfaces by default (node:http, Express, Koa, Hapi, NestJS on Express); report only loopback defaults and explicit loopback hosts.',
          },
          fallbackHost: {
            type: 'string',
            minLength: 1,
            description:
              "The address the fix falls back to when `HOST` is unset, on servers that default to localhost (Fastify, NestJS on FastifyAdapter). `'0.0.0.0'` by default; `'::'` for IPv6-only private networks.",
          },
          ignoreFiles: IGNORE_FILES_SCHEMA,
          checkCliPackages: {
            type: 'boolean',
            description:
              'Also check code whose nearest package.json has a `bin` entry. A command-line tool runs on the user\'s machine (a login command\'s local OAuth callback server), not behind a platform\'s proxy, so by default its servers are not checked.',
          },
        },
      },
    ],
    messages: {
      missingHostLoopbackDefault:
        "{{framework}} binds 127.0.0.1 when `listen()` names no host, so the platform's proxy cannot reach it from outside the container (502s, failed health checks). Pass `host: process.env.HOST ?? '{{fallbackHost}}'`.",
      missingHostNodeDefault:
        "`listen()` names no host: {{framework}} then binds Node's default (`::`, all interfaces), which works in a container but leaves the address implicit. Pass `process.env.HOST` so each platform can set it (unset keeps Node's default).",
      serveMissingHost:
        "`serve()` names no `hostname`: @hono/node-server then binds Node's default (`::`, all interfaces), which works in a container but leaves the address implicit. Pass `hostname: process.env.HOST` so each platform can set it (unset keeps Node's default).",
      missingHostUnknown:
        "`listen()` names no host: Node-based servers then bind `::`, but Fastify, NestJS on Fastify and Vite bind 127.0.0.1, which the platform's proxy cannot reach. Pass the host explicitly, e.g. `process.env.HOST`.",
      viteMissingHost:
        "Vite listens on localhost unless `server.host` (or `preview.host`) is set, so the platform's proxy cannot reach it from outside the container. Set it to `process.env.HOST ?? '{{fallbackHost}}'`.",
      loopbackHost:
        "`{{host}}` accepts connections only from inside the container, so the platform's proxy cannot reach this server. Listen on a configurable host such as `process.env.HOST ?? '{{fallbackHost}}'`.",
      loopbackFallback:
        "`{{fallback}}` binds `{{loopback}}` whenever `{{configured}}` is unset, the usual case on a platform, so the platform's proxy cannot reach this server from outside the container. {{remedy}}",
      unsetHostLoopbackDefault:
        "`{{configured}}` is usually unset on a platform, and then {{framework}} binds 127.0.0.1, which the platform's proxy cannot reach from outside the container. Give it a fallback: `{{replacement}}`.",
      hostnameVariable:
        "`process.env.HOSTNAME` is not a bind address: Docker and Kubernetes always set it to the container's name, so this server binds whatever that name resolves to{{unset}}. {{remedy}}",
      useConfigurableHost: "Listen on `process.env.HOST ?? '{{fallbackHost}}'` instead.",
      viteCommandMissingHost:
        "`{{command}}` in {{where}} listens on localhost only (Vite's default without `--host`), so the platform's proxy cannot reach it from outside the container. Add `--host` (all addresses), or set `preview.host` / `server.host` in the Vite config.",
      loopbackHostCommand:
        '`{{command}}` in {{where}} binds `{{host}}`, which accepts connections only from inside the container, so the platform\'s proxy cannot reach it. {{remedy}}',
      removeLoopbackHost: '{{remedy}}',
    },
  },
  create(context, [{ allowImplicitNodeDefault = false, fallbackHost = '0.0.0.0', ignoreFiles = TEST_FILE_GLOBS, checkCliPackages = false }]) {
    const { sourceCode } = context;
    if (isDeployFileParse(sourceCode.ast, sourceCode.parserServices) || isJsonLanguageTree(sourceCode.ast)) {
      // Cheap bail-out before the shell parser: a `vite` command, or `next` with `-H`/`--hostname`.
      if (!mightHaveServerCommand(sourceCode.text)) return {};
      return onDeployFileTree(context, checkServerCommands);
    }
    // Every server this rule knows in code is started by a `listen` call or built by Hapi.
    if (!MIGHT_START_SERVER.test(sourceCode.text)) return {};
    // A test server (a Playwright fixture, a supertest app) never takes traffic from a platform's proxy.
    if (isIgnoredFile(context.filename, context.cwd, ignoreFiles)) return {};
    // A command-line tool's server (`dub login`'s OAuth callback) runs on the user's machine, never on a platform.
    if (!checkCliPackages && isInCliPackage(context.filename, context.cwd)) return {};

    /** package.json scripts and deploy files: `vite preview` without `--host`, a loopback `-H`/`--host`. */
    function checkServerCommands(program: unknown, services: unknown): void {
      const sites = commandSitesOf(context.filename, sourceCode.text, program, services);
      let configSetsHost: boolean | undefined;
      for (const problem of findServerCommandProblems(sourceCode.text, sites)) {
        const loc = { start: sourceCode.getLocFromIndex(problem.start), end: sourceCode.getLocFromIndex(problem.end) };
        if (problem.kind === 'missingHost') {
          configSetsHost ??= viteConfigSetsHost(context.filename);
          if (configSetsHost) continue;
          const { addHost } = problem;
          context.report({
            loc,
            messageId: 'viteCommandMissingHost',
            data: { command: problem.command, where: problem.where },
            fix: addHost ? (fixer) => fixer.insertTextAfterRange([addHost.at, addHost.at], addHost.text) : null,
          });
          continue;
        }
        const remedy =
          problem.tool === 'next'
            ? `Remove \`${problem.hostOption}\`: \`next start\` then binds all addresses.`
            : `Pass \`--host\` without a value to bind all addresses.`;
        const removeHost = problem.removeHost!;
        context.report({
          loc,
          messageId: 'loopbackHostCommand',
          data: { command: problem.command, where: problem.where, host: problem.host, remedy },
          suggest: [{ messageId: 'removeLoopbackHost', data: { remedy }, fix: (fixer) => fixer.removeRange(removeHost) }],
        });
      }
    }

    const mentionsHono = sourceCode.text.includes('@hono/node-server');
    const quotedFallback = prefersDoubleQuotes(sourceCode) ? JSON.stringify(fallbackHost) : `'${fallbackHost.replace(/'/g, "\\'")}'`;
    const typeScript = /\.[cm]?tsx?$/.test(context.filename);

    function hostExpression(loopbackDefault: boolean, kind?: ServerKind): string {
      if (loopbackDefault) return `process.env.HOST ?? ${quotedFallback}`;
      return kind === 'nest' && typeScript ? `process.env.HOST ?? ${emptyString()}` : 'process.env.HOST';
    }

    function emptyString(): string {
      return prefersDoubleQuotes(sourceCode) ? '""' : "''";
    }

    /** `left ?? right` text, with the parentheses `??` needs beside `||` and `&&`. */
    function withDefault(configured: TSESTree.Node, operator: '||' | '??', value: string): string {
      const expression = unwrapExpression(configured);
      const text = sourceCode.getText(configured);
      const needsParentheses =
        (expression.type === AST_NODE_TYPES.LogicalExpression && expression.operator !== operator) ||
        expression.type === AST_NODE_TYPES.ConditionalExpression;
      return `${needsParentheses ? `(${text})` : text} ${operator} ${value}`;
    }

    /** `{ port: PORT, host: HOST }` for `listen(PORT, HOST)`: the form Express's typings accept with a host that may be undefined. */
    function optionsObjectText(port: TSESTree.Node, host: string): string {
      const portText = sourceCode.getText(port);
      return `{ ${portText === 'port' ? 'port' : `port: ${portText}`}, ${host === 'host' ? 'host' : `host: ${host}`} }`;
    }

    /**
     * A host read from configuration that still binds the wrong address: a loopback fallback
     * (`process.env.HOST || 'localhost'`) or `HOSTNAME`. The fix keeps the configurable host and drops
     * the loopback default: unset, a Node-default server binds Node's own choice (`::`), a
     * loopback-default one `fallbackHost`.
     */
    function checkConfiguredHost(
      hostNode: TSESTree.Node,
      scope: TSESLint.Scope.Scope,
      kind: ServerKind,
      positional?: { port: TSESTree.Node },
    ): void {
      const host = readConfiguredHost(hostNode, scope);
      if (!host) return;
      const loopbackDefault = LOOPBACK_DEFAULT_KINDS.has(kind);
      // A bare `process.env.HOST` keeps Node's default when unset; only a loopback-default server then binds 127.0.0.1.
      const bare = !host.loopbackDefault && !host.readsHostname;
      if (bare && !loopbackDefault) return;
      const configured = host.readsHostname ? 'process.env.HOST' : sourceCode.getText(host.configured);
      const configuredNode = host.readsHostname ? undefined : host.configured;
      let replacement = configured;
      // Nest's `listen(port, hostname: string)` takes no `undefined` under strictNullChecks (TS2769); an
      // empty host is Node's default (measured: `listen(port, '')` binds `::`, as no host does).
      const nestEmpty = !loopbackDefault && kind === 'nest' && typeScript;
      if (loopbackDefault || nestEmpty) {
        const operator = host.loopbackDefault?.operator ?? '??';
        const value = loopbackDefault ? quotedFallback : emptyString();
        replacement = configuredNode ? withDefault(configuredNode, operator, value) : `${configured} ${operator} ${value}`;
      }
      const framework = SERVER_KIND_NAMES[kind];
      const unsetBinds = loopbackDefault
        ? `${framework} then binds ${quotedFallback} instead of its default, 127.0.0.1`
        : kind === 'unknown'
          ? "a Node-based server then binds Node's default, `::` (all interfaces)"
          : `${framework} then binds Node's default, \`::\` (all interfaces)${nestEmpty ? "; to Node an empty host is no host, and Nest's typings take only a string" : ''}`;
      let remedy = `${host.readsHostname ? 'Read `HOST` instead' : 'Drop the loopback default'}: \`${replacement}\`. With \`HOST\` unset, ${unsetBinds}.`;
      // Another read of the name (a log line, a URL) would print `undefined` where it printed `localhost`.
      const readElsewhere = host.binding && !loopbackDefault && host.binding.otherReads > 0;
      if (readElsewhere && host.binding!.declarator.id.type === AST_NODE_TYPES.Identifier) {
        remedy += ` \`${host.binding!.declarator.id.name}\` is read elsewhere too, where it would become \`undefined\`: change it by hand.`;
      }

      // A positional host that may be undefined: Express's typings require `hostname: string`, the options form takes `host?: string`.
      const toOptionsForm = positional && !loopbackDefault && !nestEmpty && (kind === 'express' || kind === 'unknown');
      let fix: Fix | null = null;
      if (host.binding) {
        const { declarator } = host.binding;
        if (!readElsewhere) {
          fix = (fixer) => {
            const edits = [fixer.replaceText(declarator.init!, replacement)];
            if (toOptionsForm) edits.push(fixer.replaceTextRange([positional.port.range[0], hostNode.range[1]], optionsObjectText(positional.port, sourceCode.getText(hostNode))));
            return edits;
          };
        }
      } else {
        fix = toOptionsForm
          ? (fixer) => fixer.replaceTextRange([positional.port.range[0], hostNode.range[1]], optionsObjectText(positional.port, replacement))
          : (fixer) => fixer.replaceText(hostNode, replacement);
      }
      if (bare) {
        context.report({
          node: hostNode,
          messageId: 'unsetHostLoopbackDefault',
          data: { configured: sourceCode.getText(host.configured), framework, replacement },
          fix,
        });
        return;
      }
      if (host.readsHostname) {
        const unset = host.loopbackDefault ? `, and \`${host.loopbackDefault.value}\` where it is unset` : '';
        context.report({ node: hostNode, messageId: 'hostnameVariable', data: { unset, remedy }, fix });
        return;
      }
      context.report({
        node: hostNode,
        messageId: 'loopbackFallback',
        data: {
          fallback: sourceCode.getText(host.expression),
          loopback: host.loopbackDefault!.value,
          configured: sourceCode.getText(host.configured),
          remedy,
        },
        fix,
      });
    }

    function reportMissing(node: TSESTree.Node, kind: ServerKind, fix: Fix | null): void {
      const loopbackDefault = LOOPBACK_DEFAULT_KINDS.has(kind);
      if (!loopbackDefault && allowImplicitNodeDefault) return;
      const messageId = loopbackDefault
        ? 'missingHostLoopbackDefault'
        : kind === 'hono'
          ? 'serveMissingHost'
          : kind === 'unknown'
            ? 'missingHostUnknown'
            : 'missingHostNodeDefault';
      context.report({ node, messageId, data: { framework: SERVER_KIND_NAMES[kind], fallbackHost }, fix });
    }

    function checkLoopback(hostNode: TSESTree.Node, scope: TSESLint.Scope.Scope): boolean {
      const host = getStaticString(hostNode, scope);
      if (host === undefined || !isLoopbackHost(host)) return false;
      context.report({
        node: hostNode,
        messageId: 'loopbackHost',
        data: { host, fallbackHost },
        suggest: [
          {
            messageId: 'useConfigurableHost',
            data: { fallbackHost },
            fix: (fixer) => fixer.replaceText(hostNode, hostExpression(true)),
          },
        ],
      });
      return true;
    }

    /** `{ port }` → `{ port, host: … }`, keeping the object's own layout (one line or one property per line). */
    function addHostProperty(object: TSESTree.ObjectExpression, host: string, key = 'host'): Fix {
      return addPropertyFix(sourceCode, object, `${key}: ${host}`);
    }

    function isCallback(node: TSESTree.Node, scope: TSESLint.Scope.Scope): boolean {
      const expression = unwrapExpression(node);
      if (expression.type === AST_NODE_TYPES.ArrowFunctionExpression || expression.type === AST_NODE_TYPES.FunctionExpression) {
        return true;
      }
      if (expression.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = ASTUtils.findVariable(scope, expression);
      if (variable?.defs[0]?.type === 'FunctionName') return true;
      const init = resolveInitializer(expression, scope);
      return init?.type === AST_NODE_TYPES.ArrowFunctionExpression || init?.type === AST_NODE_TYPES.FunctionExpression;
    }

    function isUndefined(node: TSESTree.Node): boolean {
      const expression = unwrapExpression(node);
      return expression.type === AST_NODE_TYPES.Identifier && expression.name === 'undefined';
    }

    function checkOptionsObject(
      object: TSESTree.ObjectExpression,
      inline: boolean,
      reportNode: TSESTree.Node,
      kind: ServerKind,
      scope: TSESLint.Scope.Scope,
      hostKeys: readonly string[],
    ): void {
      if (findProperty(object, 'path')) return; // a Unix socket
      const hostProperty = hostKeys.map((key) => findProperty(object, key)).find(Boolean);
      if (hostProperty) {
        if (!checkLoopback(hostProperty.value, scope)) checkConfiguredHost(hostProperty.value, scope, kind);
        return;
      }
      if (object.properties.some((property) => property.type === AST_NODE_TYPES.SpreadElement)) return;
      if (kind === 'unknown' && !findProperty(object, 'port')) return;
      const host = hostExpression(LOOPBACK_DEFAULT_KINDS.has(kind));
      reportMissing(reportNode, kind, inline ? addHostProperty(object, host, kind === 'hono' ? 'hostname' : 'host') : null);
    }

    function checkListen(node: TSESTree.CallExpression, callee: TSESTree.MemberExpression): void {
      const scope = sourceCode.getScope(node);
      const kind = classifyServer(callee.object, scope, sourceCode.ast);
      if (kind === 'vite') return checkVite(node, callee);
      const [first, second] = node.arguments;
      const reportNode = callee.property;
      // A local OAuth callback or a free-port probe closes itself after its one job: it never takes a platform's traffic.
      if (closesFromItsHandler(node, callee.object, scope)) return;

      if (!first) {
        if (kind === 'unknown' || kind === 'nest' || kind === 'nest-fastify') return;
        const host = hostExpression(LOOPBACK_DEFAULT_KINDS.has(kind));
        reportMissing(reportNode, kind, (fixer) =>
          fixer.replaceTextRange([callee.range[1], node.range[1]], `${sourceCode.getText().slice(callee.range[1], node.range[1] - 1)}{ host: ${host} })`),
        );
        return;
      }
      if (first.type === AST_NODE_TYPES.SpreadElement || isEphemeralPort(first)) return;

      const options = resolveObjectArgument(first, scope);
      if (options) {
        if (isEphemeralPort(findProperty(options.object, 'port')?.value)) return;
        checkOptionsObject(options.object, options.inline, reportNode, kind, scope, ['host']);
        return;
      }
      if (!isPortLike(first, scope)) return;

      if (second && !isCallback(second, scope) && !isUndefined(second)) {
        if (!checkLoopback(second, scope)) checkConfiguredHost(second, scope, kind, { port: first });
        return;
      }
      const host = hostExpression(LOOPBACK_DEFAULT_KINDS.has(kind), kind);
      reportMissing(reportNode, kind, (fixer) => {
        if (second && isUndefined(second)) return fixer.replaceText(second, host);
        // Nest's listen(port, hostname) takes no options object.
        if (kind === 'nest' || kind === 'nest-fastify') return fixer.insertTextAfter(first, `, ${host}`);
        // The options form is accepted by node:http, Express, Koa and Fastify alike, and type-checks
        // where Express's typings require `hostname: string` in the positional form.
        const portText = sourceCode.getText(first);
        const port = portText === 'port' ? 'port' : `port: ${portText}`;
        return fixer.replaceText(first, `{ ${port}, host: ${host} }`);
      });
    }

    function checkVite(node: TSESTree.CallExpression, callee: TSESTree.MemberExpression): void {
      const scope = sourceCode.getScope(node);
      let creation = unwrapExpression(callee.object);
      for (let depth = 0; depth < 4 && creation.type === AST_NODE_TYPES.Identifier; depth++) {
        creation = unwrapExpression(resolveInitializer(creation, scope) ?? creation);
        if (creation.type === AST_NODE_TYPES.AwaitExpression) creation = unwrapExpression(creation.argument);
      }
      if (creation.type !== AST_NODE_TYPES.CallExpression) return;
      const config = resolveObjectArgument(creation.arguments[0], scope);
      if (!config) return; // an inline config file or a variable we cannot read
      const section = findProperty(config.object, 'server') ?? findProperty(config.object, 'preview');
      const sectionValue = section && unwrapExpression(section.value);
      if (sectionValue?.type === AST_NODE_TYPES.ObjectExpression) {
        const hostProperty = findProperty(sectionValue, 'host');
        if (hostProperty) {
          checkLoopback(hostProperty.value, scope);
          return;
        }
      } else if (section) {
        return;
      }
      context.report({ node: callee.property, messageId: 'viteMissingHost', data: { fallbackHost } });
    }

    /** `serve({ fetch: app.fetch, port })` from @hono/node-server: its `hostname` option is the bind address. */
    function checkHonoServe(node: TSESTree.CallExpression): void {
      const scope = sourceCode.getScope(node);
      if (!isHonoNodeServe(node, scope)) return;
      const options = resolveObjectArgument(node.arguments[0], scope);
      if (!options || isEphemeralPort(findProperty(options.object, 'port')?.value)) return;
      checkOptionsObject(options.object, options.inline, node.callee, 'hono', scope, ['hostname']);
    }

    function checkHapi(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const scope = sourceCode.getScope(node);
      if (!isHapiServerFactory(node, scope)) return;
      const options = resolveObjectArgument(node.arguments[0], scope);
      if (!options || !findProperty(options.object, 'port')) return;
      // Hapi binds `address`, falling back to `host`.
      checkOptionsObject(options.object, options.inline, node.callee, 'hapi', scope, ['address', 'host']);
    }

    return {
      CallExpression(node) {
        const callee = unwrapExpression(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression && callee.type !== AST_NODE_TYPES.Identifier) return;
        if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
          if (callee.property.name === 'listen') return checkListen(node, callee);
          if (callee.property.name === 'server') return checkHapi(node);
          if (callee.property.name === 'serve' && mentionsHono) return checkHonoServe(node);
          return;
        }
        if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'server') checkHapi(node);
        else if (callee.type === AST_NODE_TYPES.Identifier && mentionsHono) checkHonoServe(node);
      },
      'NewExpression[callee.property.name="Server"]'(node: TSESTree.NewExpression) {
        checkHapi(node);
      },
    };
  },
});
