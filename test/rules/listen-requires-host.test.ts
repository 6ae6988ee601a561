import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RuleTester, type InvalidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import rule, { type MessageIds, type Options } from '../../src/rules/listen-requires-host';
import { inDeployFile } from '../helpers/deploy-file-parsers';
import { lintWithRule } from '../helpers/run-codemod';
import { scratchDirectory } from '../helpers/scratch';

const ruleTester = new RuleTester();

const fastifyImport = "import Fastify from 'fastify';\n";
const expressImport = "import express from 'express';\n";

ruleTester.run('listen-requires-host', rule, {
  valid: [
    // A test server (a Playwright fixture, a supertest app) is skipped by default.
    { code: "import Fastify from 'fastify';\nconst app = Fastify();\nawait app.listen({ port: 3000 });", filename: 'e2e/fixtures/server.ts' },
    { code: "import Fastify from 'fastify';\nconst app = Fastify();\nawait app.listen({ port: 3000 });", filename: 'src/app.spec.ts' },
    // Explicit, non-loopback hosts.
    "app.listen(PORT, '0.0.0.0', () => {});",
    "app.listen(PORT, '::');",
    'app.listen(PORT, process.env.HOST, () => {});',
    'server.listen(port, host);',
    "app.listen({ port: 3000, host: '0.0.0.0' });",
    'app.listen({ port, host: process.env.HOST });',
    "const HOST = '0.0.0.0';\napp.listen(PORT, HOST);",
    `${fastifyImport}const app = Fastify();\nawait app.listen({ port: 3000, host: process.env.HOST ?? '0.0.0.0' });`,
    "import { NestFactory } from '@nestjs/core';\nconst app = await NestFactory.create(AppModule);\nawait app.listen(3000, '0.0.0.0');",
    "import Hapi from '@hapi/hapi';\nconst server = Hapi.server({ port: 3000, host: '0.0.0.0' });",
    "import Hapi from '@hapi/hapi';\nconst server = Hapi.server({ port: 3000, address: '::' });",
    // Port 0, a free port the OS picks: test servers, never what a platform's proxy reaches.
    `${fastifyImport}const app = Fastify();\nawait app.listen({ port: 0 });`,
    "import http from 'node:http';\nhttp.createServer(handler).listen(0, () => {});",
    "import express from 'express';\nconst app = express();\nconst server = app.listen('0');",
    // Unix sockets, handles and named pipes.
    "server.listen('/tmp/app.sock');",
    'server.listen({ path: socketPath });',
    "server.listen(path.join(os.tmpdir(), 'app.sock'));",
    'server.listen(handle);',
    'server.listen({ fd: 3 });',
    // Calls named listen that are not sockets: decided from the argument shapes.
    "subscriber.listen('user_created', onUserCreated);",
    "pgClient.listen('channel', (payload) => handle(payload));",
    'emitter.listen(channelName, handler);',
    'router.listen();',
    'ipc.listen(`events:${id}`, cb);',
    'view.listenTo(model, "change", render);',
    'listen(3000);',
    'app[method](3000);',
    // Options we cannot see into.
    'app.listen({ ...options });',
    'app.listen(...args);',
    "import Hapi from '@hapi/hapi';\nconst server = Hapi.server(options);",
    "import Hapi from '@hapi/hapi';\nconst server = Hapi.server({ routes: { cors: true } });",
    // A `server` function that is not Hapi's.
    "import { server } from './my-server';\nserver({ port: 3000 });",
    // The option: only loopback defaults and explicit loopback.
    {
      code: `${expressImport}const app = express();\napp.listen(PORT, () => {});`,
      options: [{ allowImplicitNodeDefault: true }],
    },
    { code: 'server.listen(port);', options: [{ allowImplicitNodeDefault: true }] },
    // Vite with a host in its config.
    "import { createServer } from 'vite';\nconst server = await createServer({ server: { host: true } });\nawait server.listen();",
  ],
  invalid: [
    {
      // ignoreFiles: [] checks tests too.
      code: "import Fastify from 'fastify';\nconst app = Fastify();\nawait app.listen({ port: 3000 });",
      filename: 'e2e/fixtures/server.ts',
      options: [{ ignoreFiles: [] }],
      errors: [{ messageId: 'missingHostLoopbackDefault', line: 3 }],
      output: "import Fastify from 'fastify';\nconst app = Fastify();\nawait app.listen({ port: 3000, host: process.env.HOST ?? '0.0.0.0' });",
    },
    {
      code: `${expressImport}const app = express();\napp.listen(PORT, () => {\n  console.log('up');\n});`,
      output: `${expressImport}const app = express();\napp.listen({ port: PORT, host: process.env.HOST }, () => {\n  console.log('up');\n});`,
      errors: [{ messageId: 'missingHostNodeDefault', data: { framework: 'Express', fallbackHost: '0.0.0.0' }, line: 3, column: 5 }],
    },
    {
      code: 'app.listen(port);',
      output: 'app.listen({ port, host: process.env.HOST });',
      errors: [{ messageId: 'missingHostUnknown', data: { framework: 'This server', fallbackHost: '0.0.0.0' }, line: 1, column: 5 }],
    },
    {
      code: 'server.listen(Number(process.env.PORT) || 3000, () => {});',
      output: 'server.listen({ port: Number(process.env.PORT) || 3000, host: process.env.HOST }, () => {});',
      errors: [{ messageId: 'missingHostUnknown' }],
    },
    {
      code: "import http from 'node:http';\nhttp.createServer(app).listen(port);",
      output: "import http from 'node:http';\nhttp.createServer(app).listen({ port, host: process.env.HOST });",
      errors: [{ messageId: 'missingHostNodeDefault', data: { framework: 'node:http', fallbackHost: '0.0.0.0' } }],
    },
    {
      code: "const https = require('https');\nhttps.createServer(opts, app).listen(443, function onListen() {});",
      output: "const https = require('https');\nhttps.createServer(opts, app).listen({ port: 443, host: process.env.HOST }, function onListen() {});",
      errors: [{ messageId: 'missingHostNodeDefault', data: { framework: 'node:http', fallbackHost: '0.0.0.0' } }],
    },
    {
      code: "import Koa from 'koa';\nconst app = new Koa();\napp.listen(3000);",
      output: "import Koa from 'koa';\nconst app = new Koa();\napp.listen({ port: 3000, host: process.env.HOST });",
      errors: [{ messageId: 'missingHostNodeDefault', data: { framework: 'Koa', fallbackHost: '0.0.0.0' } }],
    },
    {
      code: 'const PORT = process.env.PORT || 3000;\nfunction onListen() {}\nserver.listen(PORT, onListen);',
      output: 'const PORT = process.env.PORT || 3000;\nfunction onListen() {}\nserver.listen({ port: PORT, host: process.env.HOST }, onListen);',
      errors: [{ messageId: 'missingHostUnknown' }],
    },
    {
      code: 'server.listen(port, undefined, () => {});',
      output: 'server.listen(port, process.env.HOST, () => {});',
      errors: [{ messageId: 'missingHostUnknown' }],
    },
    // NestJS: positional hostname, Express adapter by default.
    {
      code: "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(process.env.PORT ?? 3000);\n}",
      output: "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(process.env.PORT ?? 3000, process.env.HOST ?? '');\n}",
      errors: [{ messageId: 'missingHostNodeDefault', data: { framework: 'NestJS', fallbackHost: '0.0.0.0' } }],
    },
    {
      // In JavaScript no typings ask for a string: `undefined` is Node's default already.
      filename: 'src/main.js',
      code: "const { NestFactory } = require('@nestjs/core');\nconst app = await NestFactory.create(AppModule);\nawait app.listen(3000);",
      output: "const { NestFactory } = require('@nestjs/core');\nconst app = await NestFactory.create(AppModule);\nawait app.listen(3000, process.env.HOST);",
      errors: [{ messageId: 'missingHostNodeDefault', data: { framework: 'NestJS', fallbackHost: '0.0.0.0' } }],
    },
    {
      code: "import { NestFactory } from '@nestjs/core';\nimport { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';\nconst app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());\nawait app.listen(3000);",
      output: "import { NestFactory } from '@nestjs/core';\nimport { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';\nconst app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());\nawait app.listen(3000, process.env.HOST ?? '0.0.0.0');",
      errors: [{ messageId: 'missingHostLoopbackDefault', data: { framework: 'NestJS on FastifyAdapter', fallbackHost: '0.0.0.0' } }],
    },
    // Fastify defaults to localhost.
    {
      code: `${fastifyImport}const app = Fastify({ logger: true });\nawait app.listen({ port: 3000 });`,
      output: `${fastifyImport}const app = Fastify({ logger: true });\nawait app.listen({ port: 3000, host: process.env.HOST ?? '0.0.0.0' });`,
      errors: [{ messageId: 'missingHostLoopbackDefault', data: { framework: 'Fastify', fallbackHost: '0.0.0.0' } }],
    },
    {
      code: "const fastify = require('fastify')();\nfastify.listen({\n  port: Number(process.env.PORT),\n}, (err) => {});",
      output: "const fastify = require('fastify')();\nfastify.listen({\n  port: Number(process.env.PORT),\n  host: process.env.HOST ?? '0.0.0.0',\n}, (err) => {});",
      errors: [{ messageId: 'missingHostLoopbackDefault' }],
    },
    {
      code: `${fastifyImport}const app = Fastify();\nawait app.listen({\n  port: 3000\n});`,
      output: `${fastifyImport}const app = Fastify();\nawait app.listen({\n  port: 3000,\n  host: process.env.HOST ?? '0.0.0.0'\n});`,
      errors: [{ messageId: 'missingHostLoopbackDefault' }],
    },
    {
      // A Fastify instance built in another module: the file's import decides.
      code: `import type { FastifyInstance } from 'fastify';\nexport async function start(app: FastifyInstance) {\n  await app.listen({ port: 8080 });\n}`,
      output: `import type { FastifyInstance } from 'fastify';\nexport async function start(app: FastifyInstance) {\n  await app.listen({ port: 8080, host: process.env.HOST ?? '0.0.0.0' });\n}`,
      errors: [{ messageId: 'missingHostLoopbackDefault' }],
    },
    {
      code: `${fastifyImport}const app = Fastify();\napp.listen({ port: 3000 });`,
      output: `${fastifyImport}const app = Fastify();\napp.listen({ port: 3000, host: process.env.HOST ?? '::' });`,
      options: [{ fallbackHost: '::' }],
      errors: [{ messageId: 'missingHostLoopbackDefault', data: { framework: 'Fastify', fallbackHost: '::' } }],
    },
    {
      // Double-quoted files get a double-quoted fallback.
      code: `import Fastify from "fastify";\nconst app = Fastify();\napp.listen({ port: 3000 });`,
      output: `import Fastify from "fastify";\nconst app = Fastify();\napp.listen({ port: 3000, host: process.env.HOST ?? "0.0.0.0" });`,
      options: [{ allowImplicitNodeDefault: true }],
      errors: [{ messageId: 'missingHostLoopbackDefault' }],
    },
    {
      // Options through a const: reported, not fixed (the object may be shared).
      code: `${fastifyImport}const app = Fastify();\nconst listenOptions = { port: 3000 };\napp.listen(listenOptions);`,
      output: null,
      errors: [{ messageId: 'missingHostLoopbackDefault' }],
    },
    // Explicit loopback: a suggestion, never an autofix.
    {
      code: "app.listen(3000, 'localhost');",
      output: null,
      errors: [
        {
          messageId: 'loopbackHost',
          data: { host: 'localhost', fallbackHost: '0.0.0.0' },
          line: 1,
          column: 18,
          suggestions: [{ messageId: 'useConfigurableHost', data: { fallbackHost: '0.0.0.0' }, output: "app.listen(3000, process.env.HOST ?? '0.0.0.0');" }],
        },
      ],
    },
    {
      code: "const HOST = '127.0.0.1';\nserver.listen(PORT, HOST, () => {});",
      output: null,
      errors: [
        {
          messageId: 'loopbackHost',
          data: { host: '127.0.0.1', fallbackHost: '0.0.0.0' },
          line: 2,
          suggestions: [{ messageId: 'useConfigurableHost', output: "const HOST = '127.0.0.1';\nserver.listen(PORT, process.env.HOST ?? '0.0.0.0', () => {});" }],
        },
      ],
    },
    {
      code: "app.listen({ port: 3000, host: '::1' });",
      output: null,
      options: [{ allowImplicitNodeDefault: true }],
      errors: [
        {
          messageId: 'loopbackHost',
          data: { host: '::1', fallbackHost: '0.0.0.0' },
          suggestions: [{ messageId: 'useConfigurableHost', output: "app.listen({ port: 3000, host: process.env.HOST ?? '0.0.0.0' });" }],
        },
      ],
    },
    // Hapi options.
    {
      code: "import Hapi from '@hapi/hapi';\nconst server = Hapi.server({ port: 3000 });",
      output: "import Hapi from '@hapi/hapi';\nconst server = Hapi.server({ port: 3000, host: process.env.HOST });",
      errors: [{ messageId: 'missingHostNodeDefault', data: { framework: 'Hapi', fallbackHost: '0.0.0.0' } }],
    },
    {
      code: "const Hapi = require('@hapi/hapi');\nconst server = new Hapi.Server({ port: 3000, host: 'localhost' });",
      output: null,
      errors: [{ messageId: 'loopbackHost', suggestions: [{ messageId: 'useConfigurableHost', output: "const Hapi = require('@hapi/hapi');\nconst server = new Hapi.Server({ port: 3000, host: process.env.HOST ?? '0.0.0.0' });" }] }],
    },
    {
      code: "import { server } from '@hapi/hapi';\nconst app = server({ port: 3000 });",
      output: "import { server } from '@hapi/hapi';\nconst app = server({ port: 3000, host: process.env.HOST });",
      errors: [{ messageId: 'missingHostNodeDefault' }],
    },
    // Vite: reported, the host belongs in its config.
    {
      code: "import { createServer } from 'vite';\nconst server = await createServer({ configFile: false });\nawait server.listen();",
      output: null,
      errors: [{ messageId: 'viteMissingHost', data: { fallbackHost: '0.0.0.0' } }],
    },
    // With the option, loopback defaults are still reported.
    {
      code: `${fastifyImport}const app = Fastify();\nawait app.listen({ port: 3000 });`,
      output: `${fastifyImport}const app = Fastify();\nawait app.listen({ port: 3000, host: process.env.HOST ?? '0.0.0.0' });`,
      options: [{ allowImplicitNodeDefault: true }],
      errors: [{ messageId: 'missingHostLoopbackDefault' }],
    },
  ],
});

/**
 * A configurable host with a loopback default binds loopback wherever the variable is unset, the usual
 * case on a platform; `HOSTNAME` is the container's name in Docker and Kubernetes. The fix keeps the
 * variable and drops the default: unset, Node-default servers bind `::`, loopback-default ones
 * `fallbackHost`. Every rewrite type-checks against the framework's own types (test/proof).
 */
const dropDefault = (framework: string) =>
  `Drop the loopback default: \`process.env.HOST\`. With \`HOST\` unset, ${framework} then binds Node's default, \`::\` (all interfaces).`;

ruleTester.run('listen-requires-host (loopback fallbacks and HOSTNAME)', rule, {
  valid: [
    "app.listen(PORT, process.env.HOST || '0.0.0.0');",
    `${fastifyImport}const app = Fastify();\nawait app.listen({ port: 3000, host: process.env.HOST ?? '::' });`,
    "const HOST = process.env.HOST ?? '0.0.0.0';\nserver.listen(PORT, HOST);",
    // A bare HOST on a Node-default server: unset, Node binds `::`.
    `${expressImport}const app = express();\napp.listen({ port: PORT, host: process.env.HOST });`,
    "import Hapi from '@hapi/hapi';\nconst server = Hapi.server({ port: 3000, host: process.env.HOST });",
    // Not a host: a fallback of a port, or a host that is not loopback.
    "app.listen(process.env.PORT || 3000, process.env.BIND_ADDRESS || '::');",
  ],
  invalid: [
    {
      // Express positional: its typings take `hostname: string`, so the host moves into the options form.
      code: `${expressImport}const app = express();\napp.listen(PORT, process.env.HOST || 'localhost', () => {});`,
      output: `${expressImport}const app = express();\napp.listen({ port: PORT, host: process.env.HOST }, () => {});`,
      errors: [
        {
          messageId: 'loopbackFallback',
          data: { fallback: "process.env.HOST || 'localhost'", loopback: 'localhost', configured: 'process.env.HOST', remedy: dropDefault('Express') },
          line: 3,
          column: 18,
        },
      ],
    },
    {
      // Through a const read only by listen().
      code: `${expressImport}const app = express();\nconst HOST = process.env.HOST ?? '127.0.0.1';\napp.listen(PORT, HOST);`,
      output: `${expressImport}const app = express();\nconst HOST = process.env.HOST;\napp.listen({ port: PORT, host: HOST });`,
      errors: [{ messageId: 'loopbackFallback', line: 4 }],
    },
    {
      // The const is printed too: `undefined` would show up there; reported, not fixed.
      code: `${expressImport}const app = express();\nconst HOST = process.env.HOST || 'localhost';\napp.listen(PORT, HOST, () => console.log(\`http://\${HOST}:\${PORT}\`));`,
      output: null,
      errors: [
        {
          messageId: 'loopbackFallback',
          data: {
            fallback: "process.env.HOST || 'localhost'",
            loopback: 'localhost',
            configured: 'process.env.HOST',
            remedy: `${dropDefault('Express')} \`HOST\` is read elsewhere too, where it would become \`undefined\`: change it by hand.`,
          },
        },
      ],
    },
    {
      // node:http and Koa take `hostname?: string` positionally: the host is edited in place.
      code: "import http from 'node:http';\nhttp.createServer(handler).listen(PORT, process.env.HOST || '127.0.0.1');",
      output: "import http from 'node:http';\nhttp.createServer(handler).listen(PORT, process.env.HOST);",
      errors: [{ messageId: 'loopbackFallback', data: { fallback: "process.env.HOST || '127.0.0.1'", loopback: '127.0.0.1', configured: 'process.env.HOST', remedy: dropDefault('node:http') } }],
    },
    {
      code: "import Koa from 'koa';\nconst app = new Koa();\napp.listen(PORT, process.env.HOST ?? 'localhost');",
      output: "import Koa from 'koa';\nconst app = new Koa();\napp.listen(PORT, process.env.HOST);",
      errors: [{ messageId: 'loopbackFallback' }],
    },
    {
      // Fastify binds 127.0.0.1 without a host: the fallback becomes `fallbackHost`, the operator stays.
      code: `${fastifyImport}const app = Fastify();\nawait app.listen({ port: 3000, host: process.env.HOST || 'localhost' });`,
      output: `${fastifyImport}const app = Fastify();\nawait app.listen({ port: 3000, host: process.env.HOST || '0.0.0.0' });`,
      errors: [
        {
          messageId: 'loopbackFallback',
          data: {
            fallback: "process.env.HOST || 'localhost'",
            loopback: 'localhost',
            configured: 'process.env.HOST',
            remedy: "Drop the loopback default: `process.env.HOST || '0.0.0.0'`. With `HOST` unset, Fastify then binds '0.0.0.0' instead of its default, 127.0.0.1.",
          },
        },
      ],
    },
    {
      code: `${fastifyImport}const app = Fastify();\nconst host = process.env.HOST ?? '127.0.0.1';\napp.log.info(host);\nawait app.listen({ port: 3000, host });`,
      output: `${fastifyImport}const app = Fastify();\nconst host = process.env.HOST ?? '::';\napp.log.info(host);\nawait app.listen({ port: 3000, host });`,
      options: [{ fallbackHost: '::' }],
      errors: [{ messageId: 'loopbackFallback', line: 5 }],
    },
    {
      code: "import Hapi from '@hapi/hapi';\nconst server = Hapi.server({\n  port: process.env.PORT || 3000,\n  host: process.env.HOST || 'localhost',\n});",
      output: "import Hapi from '@hapi/hapi';\nconst server = Hapi.server({\n  port: process.env.PORT || 3000,\n  host: process.env.HOST,\n});",
      errors: [{ messageId: 'loopbackFallback', data: { fallback: "process.env.HOST || 'localhost'", loopback: 'localhost', configured: 'process.env.HOST', remedy: dropDefault('Hapi') } }],
    },
    {
      // Nest's `listen(port, hostname: string)`: an empty host is Node's default and type-checks.
      code: "import { NestFactory } from '@nestjs/core';\nconst app = await NestFactory.create(AppModule);\nawait app.listen(PORT, process.env.HOST || 'localhost');",
      output: "import { NestFactory } from '@nestjs/core';\nconst app = await NestFactory.create(AppModule);\nawait app.listen(PORT, process.env.HOST || '');",
      errors: [
        {
          messageId: 'loopbackFallback',
          data: {
            fallback: "process.env.HOST || 'localhost'",
            loopback: 'localhost',
            configured: 'process.env.HOST',
            remedy:
              "Drop the loopback default: `process.env.HOST || ''`. With `HOST` unset, NestJS then binds Node's default, `::` (all interfaces); to Node an empty host is no host, and Nest's typings take only a string.",
          },
        },
      ],
    },
    {
      code: "import { NestFactory } from '@nestjs/core';\nimport { FastifyAdapter } from '@nestjs/platform-fastify';\nconst app = await NestFactory.create(AppModule, new FastifyAdapter());\nawait app.listen(PORT, process.env.HOST ?? '127.0.0.1');",
      output: "import { NestFactory } from '@nestjs/core';\nimport { FastifyAdapter } from '@nestjs/platform-fastify';\nconst app = await NestFactory.create(AppModule, new FastifyAdapter());\nawait app.listen(PORT, process.env.HOST ?? '0.0.0.0');",
      errors: [{ messageId: 'loopbackFallback' }],
    },
    {
      // The left side keeps its own fallbacks; `??` beside `||` needs its parentheses.
      code: "import { NestFactory } from '@nestjs/core';\nconst app = await NestFactory.create(AppModule);\nawait app.listen(PORT, (process.env.HOST || process.env.BIND) ?? 'localhost');",
      output: "import { NestFactory } from '@nestjs/core';\nconst app = await NestFactory.create(AppModule);\nawait app.listen(PORT, (process.env.HOST || process.env.BIND) ?? '');",
      errors: [{ messageId: 'loopbackFallback' }],
    },
    {
      // Fastify with a bare `HOST`: unset on a platform, so 127.0.0.1 there.
      code: `${fastifyImport}const app = Fastify();\nawait app.listen({ port: Number(process.env.PORT), host: process.env.HOST });`,
      output: `${fastifyImport}const app = Fastify();\nawait app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '0.0.0.0' });`,
      errors: [
        {
          messageId: 'unsetHostLoopbackDefault',
          data: { configured: 'process.env.HOST', framework: 'Fastify', replacement: "process.env.HOST ?? '0.0.0.0'" },
        },
      ],
    },
    {
      code: "import { NestFactory } from '@nestjs/core';\nimport { FastifyAdapter } from '@nestjs/platform-fastify';\nconst app = await NestFactory.create(AppModule, new FastifyAdapter());\nconst HOST = process.env.HOST;\nawait app.listen(PORT, HOST);",
      output: "import { NestFactory } from '@nestjs/core';\nimport { FastifyAdapter } from '@nestjs/platform-fastify';\nconst app = await NestFactory.create(AppModule, new FastifyAdapter());\nconst HOST = process.env.HOST ?? '0.0.0.0';\nawait app.listen(PORT, HOST);",
      errors: [{ messageId: 'unsetHostLoopbackDefault', data: { configured: 'process.env.HOST', framework: 'NestJS on FastifyAdapter', replacement: "process.env.HOST ?? '0.0.0.0'" } }],
    },
    // HOSTNAME: the container's name, not a bind address.
    {
      code: `${fastifyImport}const app = Fastify();\nawait app.listen({ port: 3000, host: process.env.HOSTNAME || "localhost" });`,
      output: `${fastifyImport}const app = Fastify();\nawait app.listen({ port: 3000, host: process.env.HOST || '0.0.0.0' });`,
      errors: [
        {
          messageId: 'hostnameVariable',
          data: {
            unset: ', and `localhost` where it is unset',
            remedy: "Read `HOST` instead: `process.env.HOST || '0.0.0.0'`. With `HOST` unset, Fastify then binds '0.0.0.0' instead of its default, 127.0.0.1.",
          },
        },
      ],
    },
    {
      code: `${expressImport}const app = express();\napp.listen(PORT, process.env.HOSTNAME, () => {});`,
      output: `${expressImport}const app = express();\napp.listen({ port: PORT, host: process.env.HOST }, () => {});`,
      errors: [
        {
          messageId: 'hostnameVariable',
          data: { unset: '', remedy: "Read `HOST` instead: `process.env.HOST`. With `HOST` unset, Express then binds Node's default, `::` (all interfaces)." },
        },
      ],
    },
    {
      code: "import Hapi from '@hapi/hapi';\nconst { HOSTNAME } = process.env;\nconst server = Hapi.server({ port: 3000, host: process.env['HOSTNAME'] });",
      output: "import Hapi from '@hapi/hapi';\nconst { HOSTNAME } = process.env;\nconst server = Hapi.server({ port: 3000, host: process.env.HOST });",
      errors: [{ messageId: 'hostnameVariable' }],
    },
  ],
});

ruleTester.run('listen-requires-host (comments)', rule, {
  valid: [],
  invalid: [
    {
      code: "import Fastify from 'fastify';\nconst app = Fastify();\napp.listen({\n  port: 3000 // injected\n});",
      output: "import Fastify from 'fastify';\nconst app = Fastify();\napp.listen({\n  port: 3000, // injected\n  host: process.env.HOST ?? '0.0.0.0'\n});",
      errors: [{ messageId: 'missingHostLoopbackDefault' }],
    },
  ],
});

/**
 * Servers started from a command line, in package.json scripts and deploy files. Measured: `vite
 * preview` binds 127.0.0.1 without `--host`; `next start` binds all addresses without `-H`.
 */
const pkg = (scripts: Record<string, string>) => `${JSON.stringify({ name: 'web', scripts }, null, 2)}\n`;
const VITE_CONFIG_WITH_HOST = join(__dirname, 'fixtures', 'vite-config-host', 'package.json');

ruleTester.run('listen-requires-host (commands)', rule, {
  valid: [
    // a host that reaches the container from outside
    { filename: 'package.json', code: pkg({ start: 'vite preview --host --port $PORT' }) },
    { filename: 'package.json', code: pkg({ start: 'vite preview --host 0.0.0.0 --port $PORT' }) },
    { filename: 'package.json', code: pkg({ start: 'vite preview --host=:: --port $PORT' }) },
    // next start binds all addresses without -H (measured on 14.2.5, 15.5 and 16.4)
    { filename: 'package.json', code: pkg({ build: 'next build', start: 'next start -p $PORT' }) },
    { filename: 'package.json', code: pkg({ start: 'next start -H 0.0.0.0' }) },
    // not a server: vite build; not run on deploy: dev and preview scripts nothing on start reaches
    { filename: 'package.json', code: pkg({ build: 'tsc && vite build', dev: 'vite', preview: 'vite preview', start: 'node server.js' }) },
    { filename: 'package.json', code: pkg({ dev: 'next dev -H localhost', start: 'next start' }) },
    // the words in an echo or a comment
    { filename: 'Dockerfile', code: 'FROM node:20\n# CMD vite preview\nRUN echo "vite preview"\nCMD ["npx", "vite", "preview", "--host"]\n' },
    // the project's Vite config sets the host
    { filename: VITE_CONFIG_WITH_HOST, code: pkg({ start: 'vite preview --port $PORT' }) },
    // other tools whose names contain the words
    { filename: 'package.json', code: pkg({ start: 'vite-node server.ts', postinstall: 'next-sitemap' }) },
  ].map(inDeployFile),
  invalid: ([
    {
      filename: 'package.json',
      code: pkg({ build: 'vite build', start: 'vite preview --port $PORT' }),
      output: pkg({ build: 'vite build', start: 'vite preview --port $PORT --host' }),
      errors: [{ messageId: 'viteCommandMissingHost', data: { command: 'vite preview', where: 'the "start" script' }, line: 5, column: 15, endColumn: 27 }],
    },
    // reached from start, behind a runner, quoted port
    {
      filename: 'package.json',
      code: pkg({ start: 'npm run serve', serve: 'npx vite preview --port "$PORT"' }),
      output: pkg({ start: 'npm run serve', serve: 'npx vite preview --port "$PORT" --host' }),
      errors: [{ messageId: 'viteCommandMissingHost', data: { command: 'vite preview', where: 'the "serve" script (run by "start")' } }],
    },
    // the dev server run as the start command
    {
      filename: 'Procfile',
      code: 'web: vite --port $PORT\n',
      output: 'web: vite --port $PORT --host\n',
      errors: [{ messageId: 'viteCommandMissingHost', data: { command: 'vite', where: 'Procfile web' }, line: 1, column: 6, endColumn: 10 }],
    },
    // exec form: the option is added as its own string
    {
      filename: 'Dockerfile',
      code: 'FROM node:20\nCMD ["npx", "vite", "preview", "--port", "8080"]\n',
      output: 'FROM node:20\nCMD ["npx", "vite", "preview", "--port", "8080", "--host"]\n',
      errors: [{ messageId: 'viteCommandMissingHost', data: { command: 'vite preview', where: 'Dockerfile CMD' }, line: 2, column: 13 }],
    },
    {
      filename: 'railway.json',
      code: '{ "deploy": { "startCommand": "vite preview" } }\n',
      output: '{ "deploy": { "startCommand": "vite preview --host" } }\n',
      errors: [{ messageId: 'viteCommandMissingHost', data: { command: 'vite preview', where: 'railway.json deploy.startCommand' } }],
    },
    {
      filename: 'render.yaml',
      code: 'services:\n  - type: web\n    startCommand: vite preview --port $PORT\n',
      output: 'services:\n  - type: web\n    startCommand: vite preview --port $PORT --host\n',
      errors: [{ messageId: 'viteCommandMissingHost', data: { command: 'vite preview', where: 'render.yaml services.0.startCommand' } }],
    },
    // a YAML block sequence has no safe place for a new item: reported, not fixed
    {
      filename: 'docker-compose.yml',
      code: 'services:\n  web:\n    command:\n      - vite\n      - preview\n',
      output: null,
      errors: [{ messageId: 'viteCommandMissingHost', data: { command: 'vite preview', where: 'docker-compose.yml services.web.command' } }],
    },
    // explicit loopback: a suggestion, not a fix (it may be deliberate behind a proxy in the container)
    {
      filename: 'package.json',
      code: pkg({ start: 'next start -H localhost -p $PORT' }),
      output: null,
      errors: [
        {
          messageId: 'loopbackHostCommand',
          data: { command: 'next start', where: 'the "start" script', host: 'localhost', remedy: 'Remove `-H localhost`: `next start` then binds all addresses.' },
          line: 4,
          column: 29,
          endColumn: 38,
          suggestions: [
            {
              messageId: 'removeLoopbackHost',
              data: { remedy: 'Remove `-H localhost`: `next start` then binds all addresses.' },
              output: pkg({ start: 'next start -p $PORT' }),
            },
          ],
        },
      ],
    },
    {
      filename: 'Dockerfile',
      code: 'FROM node:20\nCMD ["npx", "next", "start", "--hostname", "127.0.0.1"]\n',
      output: null,
      errors: [
        {
          messageId: 'loopbackHostCommand',
          suggestions: [
            {
              messageId: 'removeLoopbackHost',
              data: { remedy: 'Remove `--hostname 127.0.0.1`: `next start` then binds all addresses.' },
              output: 'FROM node:20\nCMD ["npx", "next", "start"]\n',
            },
          ],
        },
      ],
    },
    {
      filename: 'fly.toml',
      code: '[processes]\n  app = "vite preview --host=127.0.0.1 --port 8080"\n',
      output: null,
      errors: [
        {
          messageId: 'loopbackHostCommand',
          data: { command: 'vite preview', where: 'fly.toml processes.app', host: '127.0.0.1', remedy: 'Pass `--host` without a value to bind all addresses.' },
          suggestions: [
            {
              messageId: 'removeLoopbackHost',
              data: { remedy: 'Pass `--host` without a value to bind all addresses.' },
              output: '[processes]\n  app = "vite preview --host --port 8080"\n',
            },
          ],
        },
      ],
    },
    {
      filename: 'start.sh',
      code: '#!/bin/sh\nexec npx vite preview --host localhost --port "$PORT"\n',
      output: null,
      errors: [
        {
          messageId: 'loopbackHostCommand',
          line: 2,
          column: 30,
          suggestions: [
            {
              messageId: 'removeLoopbackHost',
              data: { remedy: 'Pass `--host` without a value to bind all addresses.' },
              output: '#!/bin/sh\nexec npx vite preview --host --port "$PORT"\n',
            },
          ],
        },
      ],
    },
  ] satisfies Omit<InvalidTestCase<MessageIds, Options>, 'languageOptions'>[]).map(inDeployFile),
});

// Issue 24: shapes read on large public monorepos (dub, documenso, formbricks, rallly, inbox-zero, hoppscotch).
ruleTester.run('listen-requires-host (local tools, followed servers, Hono)', rule, {
  valid: [
    {
      // A CLI's OAuth callback: opened on 127.0.0.1 to receive one redirect, closed from its own handler.
      code: `import http from 'node:http';
export function waitForCode(): Promise<string> {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const code = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('code');
      res.end('You can close this window.');
      server.close();
      resolve(code ?? '');
    });
    server.listen(8976, '127.0.0.1');
  });
}`,
    },
    {
      // The same with Express: the GET route that receives the redirect closes the server.
      code: `${expressImport}const app = express();
const server = app.listen(8976, 'localhost');
app.get('/callback', (req, res) => {
  res.send('Logged in. You can close this tab.');
  server.close();
});`,
    },
    {
      // A probe for a free port (inbox-zero's CLI): closed in the callback of its own listen().
      code: `import { createServer } from 'node:net';
function isPortAvailable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port }, () => {
      server.close(() => resolve(true));
    });
  });
}`,
    },
    {
      // dub's CLI callback server, even outside a package with a `bin`: no host, closed after the first request.
      code: `import * as http from 'http';
export function oauthCallbackServer() {
  const server = http.createServer(async (req, res) => {
    try {
      res.end('Authentication successful! You can close this window.');
    } finally {
      server.close();
      process.exit(0);
    }
  });
  server.listen(4587);
}`,
    },
    // A Playwright spec named *.e2e.ts (cal.com's convention), and a Playwright config.
    { code: "import http from 'node:http';\nlet server;\nserver = http.createServer(handler);\nserver.listen(3100);", filename: 'apps/web/oauth/login.e2e.ts' },
    { code: "import http from 'node:http';\nhttp.createServer(handler).listen(3100);", filename: 'playwright.config.ts' },
    // Hono with a configurable hostname; a `serve` that is not @hono/node-server's.
    "import { serve } from '@hono/node-server';\nimport { app } from './app';\nserve({ fetch: app.fetch, port: 3000, hostname: process.env.HOST });",
    "import { serve } from './serve';\nserve({ fetch: app.fetch, port: 3000 });",
    "import { serve } from '@hono/node-server';\nserve({ fetch: app.fetch, port: 0 });",
  ],
  invalid: [
    {
      // node:http assigned to an earlier `let`: the message names node:http, without the Fastify/Vite caveat.
      code: `import http from 'node:http';
let server: http.Server | undefined;
export function start(app: http.RequestListener) {
  server = http.createServer(app);
  server.listen(PORT);
}`,
      output: `import http from 'node:http';
let server: http.Server | undefined;
export function start(app: http.RequestListener) {
  server = http.createServer(app);
  server.listen({ port: PORT, host: process.env.HOST });
}`,
      errors: [{ messageId: 'missingHostNodeDefault', data: { framework: 'node:http', fallbackHost: '0.0.0.0' }, line: 5 }],
    },
    {
      // A POST /shutdown route of a deployed service is not a one-shot receiver: loopback is still unreachable.
      code: `${expressImport}const app = express();
const server = app.listen(PORT, '127.0.0.1');
app.post('/admin/shutdown', (req, res) => {
  res.end();
  server.close();
});`,
      errors: [{ messageId: 'loopbackHost', data: { host: '127.0.0.1', fallbackHost: '0.0.0.0' }, line: 3, suggestions: [{ messageId: 'useConfigurableHost', output: `${expressImport}const app = express();
const server = app.listen(PORT, process.env.HOST ?? '0.0.0.0');
app.post('/admin/shutdown', (req, res) => {
  res.end();
  server.close();
});` }] }],
    },
    {
      // Hono on Node (@hono/node-server): `serve()` without `hostname` binds Node's default, like the other Node servers.
      code: "import { serve } from '@hono/node-server';\nimport { app } from './app';\nserve({ fetch: app.fetch, port: Number(process.env.PORT) });",
      output: "import { serve } from '@hono/node-server';\nimport { app } from './app';\nserve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: process.env.HOST });",
      errors: [{ messageId: 'serveMissingHost', line: 3, column: 1 }],
    },
    {
      code: "const { serve } = require('@hono/node-server');\nserve({\n  fetch: app.fetch,\n  port: 8787,\n  hostname: 'localhost',\n});",
      errors: [{ messageId: 'loopbackHost', data: { host: 'localhost', fallbackHost: '0.0.0.0' }, line: 5, suggestions: [{ messageId: 'useConfigurableHost', output: "const { serve } = require('@hono/node-server');\nserve({\n  fetch: app.fetch,\n  port: 8787,\n  hostname: process.env.HOST ?? '0.0.0.0',\n});" }] }],
    },
    {
      code: "import { serve } from '@hono/node-server';\nserve({ fetch: app.fetch, port, hostname: process.env.HOST || 'localhost' });",
      output: "import { serve } from '@hono/node-server';\nserve({ fetch: app.fetch, port, hostname: process.env.HOST });",
      errors: [{ messageId: 'loopbackFallback', line: 2 }],
    },
  ],
});

describe('listen-requires-host in a command-line tool (a package with a `bin` entry)', () => {
  // A CLI's local preview server (`mytool preview`): it runs on the user's machine until Ctrl-C.
  const CALLBACK = `import * as http from "http";

export function previewServer(render: http.RequestListener) {
  http.createServer(render).listen(4587, "127.0.0.1", () => {
    console.log("Preview at http://127.0.0.1:4587");
  });
}
`;
  const project = (bin: boolean): string => {
    const dir = scratchDirectory('deploy-safe-listen-cli-');
    const file = join(dir, 'src/preview.ts');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(bin ? { name: 'dub-cli', bin: { dub: './dist/index.js' } } : { name: 'api' }));
    writeFileSync(file, CALLBACK);
    return file;
  };
  const lint = (file: string, options: unknown[] = []) =>
    lintWithRule('listen-requires-host', rule, readFileSync(file, 'utf8'), file, options).filter((message) => message.ruleId).map((message) => message.messageId);

  it('is not checked by default: it runs on the user\'s machine, never behind a platform\'s proxy', () => {
    expect(lint(project(true))).toEqual([]);
  });

  it('is checked with checkCliPackages: true, and the same server in a service package is checked', () => {
    expect(lint(project(true), [{ checkCliPackages: true }])).toEqual(['loopbackHost']);
    expect(lint(project(false))).toEqual(['loopbackHost']);
  });
});
