import { RuleTester } from '@typescript-eslint/rule-tester';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/no-file-logger-in-prod';
import { conditionFact } from '../../src/logger/node-env-guard';

const ruleTester = new RuleTester();

const winstonImport = "import winston from 'winston';\n";
const pinoImport = "import pino from 'pino';\n";

ruleTester.run('no-file-logger-in-prod', rule, {
  valid: [
    // A test's logger (tests and e2e suites are skipped by default, as in the other rules).
    { code: `${winstonImport}export const logger = winston.createLogger({ transports: [new winston.transports.File({ filename: 'test.log' })] });`, filename: 'test/helpers/logger.ts' },
    // Console and stdout transports.
    `${winstonImport}export const logger = winston.createLogger({ transports: [new winston.transports.Console()] });`,
    "const { createLogger, transports, format } = require('winston');\nconst logger = createLogger({ format: format.json(), transports: [new transports.Console({ stderrLevels: ['error'] })] });",
    // File transports that never run in production.
    `${winstonImport}const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\nif (process.env.NODE_ENV !== 'production') {\n  logger.add(new winston.transports.File({ filename: 'logs/debug.log' }));\n}`,
    `${winstonImport}const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\nif (process.env.NODE_ENV === 'development') logger.add(new winston.transports.File({ filename: 'dev.log' }));`,
    `${winstonImport}const isProd = process.env.NODE_ENV === 'production';\nconst logger = winston.createLogger({\n  transports: [new winston.transports.Console(), ...(isProd ? [] : [new winston.transports.File({ filename: 'dev.log' })])],\n});`,
    `${winstonImport}const isDev = process.env.NODE_ENV !== 'production';\nconst logger = winston.createLogger({\n  transports: [new winston.transports.Console(), ...(isDev ? [new winston.transports.File({ filename: 'dev.log' })] : [])],\n});`,
    `${winstonImport}const { NODE_ENV } = process.env;\nconst transports = [new winston.transports.Console()];\nif (NODE_ENV === 'test' || NODE_ENV === 'development') transports.push(new winston.transports.File({ filename: 'test.log' }));`,
    `${winstonImport}const transports = [new winston.transports.Console()];\nif (!['development', 'test'].includes(process.env.NODE_ENV)) {\n  // production\n} else {\n  transports.push(new winston.transports.File({ filename: 'dev.log' }));\n}`,
    `${winstonImport}function extraTransports() {\n  if (process.env.NODE_ENV === 'production') return [];\n  return [new winston.transports.File({ filename: 'dev.log' })];\n}`,
    `${winstonImport}const isProd = process.env.NODE_ENV === 'production';\nconst logger = winston.createLogger();\nif (isProd) {\n  logger.add(new winston.transports.Console());\n} else {\n  logger.add(new winston.transports.File({ filename: 'dev.log' }));\n}`,
    // An opt-in file that is off unless LOG_FILE is set.
    `${winstonImport}const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\nif (process.env.LOG_FILE) logger.add(new winston.transports.File({ filename: process.env.LOG_FILE }));`,
    `${winstonImport}const logToFile = process.env.LOG_TO_FILE === 'true';\nconst logger = winston.createLogger({\n  transports: [new winston.transports.Console(), ...(logToFile ? [new winston.transports.File({ filename: 'app.log' })] : [])],\n});`,
    // A dev-only Console next to a production transport that is not a file.
    `${winstonImport}const logger = winston.createLogger({ transports: [new winston.transports.Http({ host: 'logs.internal' })] });\nif (process.env.NODE_ENV !== 'production') logger.add(new winston.transports.Console());`,
    "import winston from 'winston';\nimport { LogtailTransport } from '@logtail/winston';\nconst logger = winston.createLogger({ transports: [new LogtailTransport(logtail)] });\nif (process.env.NODE_ENV !== 'production') logger.add(new winston.transports.Console());",
    // A Console constructor that is not winston's.
    "import { Console } from 'node:console';\nif (process.env.NODE_ENV !== 'production') new Console(process.stdout);",
    "const File = require('./file');\nnew File({ filename: 'logs/error.log' });",
    // pino to stdout or stderr.
    `${pinoImport}const logger = pino();`,
    `${pinoImport}const logger = pino({ level: 'info' }, pino.destination(1));`,
    `${pinoImport}const logger = pino(pino.destination({ dest: 2, sync: false }));`,
    `${pinoImport}const logger = pino({}, pino.destination(process.stdout.fd));`,
    `${pinoImport}const logger = pino({}, pino.destination('/dev/stdout'));`,
    `${pinoImport}const logger = pino({}, pino.destination());`,
    `${pinoImport}const logger = pino({ transport: { target: 'pino/file', options: { destination: 1 } } });`,
    `${pinoImport}const logger = pino({ transport: { target: 'pino-pretty' } });`,
    `${pinoImport}const logger = pino({ transport: process.env.NODE_ENV === 'development' ? { target: 'pino-roll', options: { file: 'logs/app' } } : undefined });`,
    // An unknown destination: not reported (a miss costs less than a false positive).
    `${pinoImport}const logger = pino({}, pino.destination(process.env.LOG_DESTINATION));`,
    // Object shapes that only look like file sinks when their library is not imported.
    "const config = { type: 'file', filename: 'x.log' };",
    "const stream = { path: '/tmp/x' };\nfoo({ streams: [stream, { path: 'x.log' }] });",
    "const t = { target: 'pino/file', options: { destination: 'app.log' } };",
    // bunyan to stdout, log4js to stdout.
    "import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'api', streams: [{ stream: process.stdout }] });",
    "import log4js from 'log4js';\nlog4js.configure({ appenders: { out: { type: 'stdout' } }, categories: { default: { appenders: ['out'], level: 'info' } } });",
  ],
  invalid: [
    // The seed: two file transports and a Console only outside production.
    {
      code: `${winstonImport}
export const logger = winston.createLogger({
  level: process.env.LOG_LEVEL || 'info',
  transports: [
    new winston.transports.File({ filename: 'logs/error.log', level: 'error' }),
    new winston.transports.File({ filename: 'logs/combined.log' }),
  ],
});

if (process.env.NODE_ENV !== 'production') {
  logger.add(
    new winston.transports.Console({
      format: winston.format.combine(winston.format.colorize(), winston.format.simple()),
    })
  );
}
`,
      errors: ['logs/error.log', 'logs/combined.log', null].map((path, index) => {
        const output = `${winstonImport}
export const logger = winston.createLogger({
  level: process.env.LOG_LEVEL || 'info',
  transports: [
    new winston.transports.Console({
      format:
        process.env.NODE_ENV !== 'production'
          ? winston.format.combine(winston.format.colorize(), winston.format.simple())
          : winston.format.json(),
      stderrLevels: ['error'],
    }),
  ],
});
`;
        return path
          ? {
              messageId: 'winstonFileTransport' as const,
              data: { sink: `The winston \`File\` transport ('${path}')` },
              line: 6 + index,
              column: 5,
              suggestions: [{ messageId: 'logToStdout' as const, output }],
            }
          : { messageId: 'consoleOnlyOutsideProduction' as const, line: 13, column: 5, suggestions: [{ messageId: 'logToStdout' as const, output }] };
      }),
    },
    // No console at all: the first file transport becomes a Console transport.
    {
      code: "const { createLogger, transports } = require('winston');\nconst logger = createLogger({ transports: [new transports.File({ filename: 'app.log', level: 'warn' })] });",
      errors: [
        {
          messageId: 'winstonFileTransport',
          data: { sink: "The winston `File` transport ('app.log')" },
          line: 2,
          column: 44,
          suggestions: [
            {
              messageId: 'logToStdout',
              output:
                "const { createLogger, transports } = require('winston');\nconst logger = createLogger({ transports: [new transports.Console({ level: 'warn', stderrLevels: ['error'] })] });",
            },
          ],
        },
      ],
    },
    // A Console transport exists: the file transport just goes, and so does its now-unused import.
    {
      code: "import winston from 'winston';\nimport DailyRotateFile from 'winston-daily-rotate-file';\nconst logger = winston.createLogger({\n  transports: [\n    new winston.transports.Console(),\n    new DailyRotateFile({ dirname: 'logs', filename: 'app-%DATE%.log' }),\n  ],\n});",
      errors: [
        {
          messageId: 'winstonFileTransport',
          data: { sink: "The winston `DailyRotateFile` transport ('logs/app-%DATE%.log')" },
          line: 6,
          column: 5,
          suggestions: [
            {
              messageId: 'logToStdout',
              output: "import winston from 'winston';\nconst logger = winston.createLogger({\n  transports: [\n    new winston.transports.Console(),\n  ],\n});",
            },
          ],
        },
      ],
    },
    // Registered on winston.transports by the side-effect import.
    {
      code: "import winston from 'winston';\nimport 'winston-daily-rotate-file';\nconst logger = winston.createLogger({ transports: [new winston.transports.DailyRotateFile({ filename: 'app-%DATE%.log' })] });",
      errors: [
        {
          messageId: 'winstonFileTransport',
          data: { sink: "The winston `DailyRotateFile` transport ('app-%DATE%.log')" },
          suggestions: [
            {
              messageId: 'logToStdout',
              output: "import winston from 'winston';\nconst logger = winston.createLogger({ transports: [new winston.transports.Console({ stderrLevels: ['error'] })] });",
            },
          ],
        },
      ],
    },
    // Guarded to production only: still a file in production.
    {
      code: `${winstonImport}const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\nif (process.env.NODE_ENV === 'production') {\n  logger.add(new winston.transports.File({ filename: 'prod.log' }));\n}`,
      errors: [
        {
          messageId: 'winstonFileTransport',
          line: 4,
          column: 14,
          suggestions: [
            {
              messageId: 'logToStdout',
              output: `${winstonImport}const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\n`,
            },
          ],
        },
      ],
    },
    // `!== 'development'` is true in production.
    {
      code: `${winstonImport}const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\nif (process.env.NODE_ENV !== 'development') logger.add(new winston.transports.File({ filename: 'app.log' }));`,
      errors: [{ messageId: 'winstonFileTransport', line: 3, column: 56, suggestions: [{ messageId: 'logToStdout', output: `${winstonImport}const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\n` }] }],
    },
    // Ternary: the production branch writes a file, the other branch's Console never runs in production.
    // Both reported; a ternary is not rewritten (the codemod reports it).
    {
      code: `${winstonImport}const isProd = process.env.NODE_ENV === 'production';\nconst logger = winston.createLogger({\n  transports: isProd ? [new winston.transports.File({ filename: 'app.log' })] : [new winston.transports.Console()],\n});`,
      errors: [
        { messageId: 'winstonFileTransport', line: 4, column: 25, suggestions: [] },
        { messageId: 'consoleOnlyOutsideProduction', line: 4, column: 82, suggestions: [] },
      ],
    },
    // The `else` of `=== 'development'` runs in production (and in test).
    {
      code: `${winstonImport}const logger = winston.createLogger();\nif (process.env.NODE_ENV === 'development') {\n  logger.add(new winston.transports.Console());\n} else {\n  logger.add(new winston.transports.File({ filename: 'app.log' }));\n}`,
      errors: [
        { messageId: 'consoleOnlyOutsideProduction', line: 4, column: 14, suggestions: [] },
        { messageId: 'winstonFileTransport', line: 6, column: 14, suggestions: [] },
      ],
    },
    // Transports held in module-level variables used once, in the list: the first becomes the Console, the variables go.
    {
      code: "import { transports, createLogger } from 'winston';\nconst fileTransport = new transports.File({ filename: 'a.log' });\nconst other = new transports.File({ filename: 'b.log' });\nexport const logger = createLogger({ transports: [fileTransport, other] });",
      errors: [2, 3].map((line) => ({
        messageId: 'winstonFileTransport' as const,
        line,
        suggestions: [
          {
            messageId: 'logToStdout' as const,
            output: "import { transports, createLogger } from 'winston';\nexport const logger = createLogger({ transports: [new transports.Console({ stderrLevels: ['error'] })] });",
          },
        ],
      })),
    },
    // A transport held in a variable used twice: reported without a rewrite.
    {
      code: "import { transports, createLogger } from 'winston';\nconst fileTransport = new transports.File({ filename: 'a.log' });\nexport const logger = createLogger({ transports: [new transports.Console(), fileTransport] });\nexport const audit = createLogger({ transports: [fileTransport] });",
      errors: [{ messageId: 'winstonFileTransport', line: 2, suggestions: [] }],
    },
    // nest-winston
    {
      code: "import * as winston from 'winston';\nimport { WinstonModule } from 'nest-winston';\nexport const logger = WinstonModule.createLogger({\n  transports: [new winston.transports.File({ filename: 'logs/app.log' })],\n});",
      errors: [
        {
          messageId: 'winstonFileTransport',
          line: 4,
          column: 16,
          suggestions: [
            {
              messageId: 'logToStdout',
              output: "import * as winston from 'winston';\nimport { WinstonModule } from 'nest-winston';\nexport const logger = WinstonModule.createLogger({\n  transports: [new winston.transports.Console({ stderrLevels: ['error'] })],\n});",
            },
          ],
        },
      ],
    },
    // A Console only outside production and nothing else.
    {
      code: `${winstonImport}const logger = winston.createLogger({ level: 'info' });\nif (process.env.NODE_ENV !== 'production') {\n  logger.add(new winston.transports.Console());\n}`,
      errors: [
        {
          messageId: 'consoleOnlyOutsideProduction',
          line: 4,
          column: 14,
          suggestions: [
            {
              messageId: 'logToStdout',
              output: `${winstonImport}const logger = winston.createLogger({ level: 'info' });\nlogger.add(new winston.transports.Console({ stderrLevels: ['error'] }));`,
            },
          ],
        },
      ],
    },
    // A dev-only Console in a ternary: reported, not rewritten.
    {
      code: `${winstonImport}const logger = winston.createLogger({\n  transports: process.env.NODE_ENV === 'development' ? [new winston.transports.Console()] : [],\n});`,
      errors: [{ messageId: 'consoleOnlyOutsideProduction', line: 3, column: 57, suggestions: [] }],
    },
    // pino
    {
      code: `${pinoImport}export const logger = pino({ level: 'info' }, pino.destination('./logs/app.log'));`,
      errors: [
        {
          messageId: 'fileSink',
          data: { sink: "`pino.destination('./logs/app.log')`" },
          line: 2,
          column: 47,
          suggestions: [{ messageId: 'logToStdout', output: `${pinoImport}export const logger = pino({ level: 'info' });` }],
        },
      ],
    },
    {
      code: "import pino, { destination } from 'pino';\nexport const logger = pino(destination({ dest: 'app.log', sync: false }));",
      errors: [
        {
          messageId: 'fileSink',
          data: { sink: '`pino.destination(...)`' },
          suggestions: [{ messageId: 'logToStdout', output: "import pino from 'pino';\nexport const logger = pino();" }],
        },
      ],
    },
    {
      code: `${pinoImport}export const logger = pino({\n  level: 'info',\n  transport: { target: 'pino/file', options: { destination: 'logs/app.log', mkdir: true } },\n});`,
      errors: [
        {
          messageId: 'fileSink',
          data: { sink: 'The pino transport `pino/file`' },
          line: 4,
          column: 14,
          suggestions: [{ messageId: 'logToStdout', output: `${pinoImport}export const logger = pino({\n  level: 'info',\n});` }],
        },
      ],
    },
    {
      code: `${pinoImport}export const logger = pino({\n  transport: {\n    targets: [\n      { target: 'pino-pretty', level: 'debug' },\n      { target: 'pino-roll', level: 'info', options: { file: 'logs/app', frequency: 'daily' } },\n    ],\n  },\n});`,
      errors: [
        {
          messageId: 'fileSink',
          data: { sink: 'The pino transport `pino-roll`' },
          line: 6,
          column: 7,
          suggestions: [
            {
              messageId: 'logToStdout',
              output: `${pinoImport}export const logger = pino({\n  transport: {\n    targets: [\n      { target: 'pino-pretty', level: 'debug' },\n    ],\n  },\n});`,
            },
          ],
        },
      ],
    },
    {
      code: `${pinoImport}const transport = pino.transport({ target: 'pino/file', level: 'warn', options: { destination: '/var/log/app.log' } });`,
      errors: [
        {
          messageId: 'fileSink',
          suggestions: [
            { messageId: 'logToStdout', output: `${pinoImport}const transport = pino.transport({ target: 'pino/file', level: 'warn', options: { destination: 1 } });` },
          ],
        },
      ],
    },
    // bunyan: the file streams go; bunyan already writes JSON lines to `{ stream: process.stdout }`.
    {
      code: "const bunyan = require('bunyan');\nconst log = bunyan.createLogger({\n  name: 'api',\n  streams: [{ stream: process.stdout }, { type: 'rotating-file', path: 'logs/api.log', period: '1d' }],\n});",
      errors: [
        {
          messageId: 'fileSink',
          data: { sink: "bunyan's `rotating-file` stream" },
          line: 4,
          column: 41,
          suggestions: [
            { messageId: 'logToStdout', output: "const bunyan = require('bunyan');\nconst log = bunyan.createLogger({\n  name: 'api',\n  streams: [{ stream: process.stdout }],\n});" },
          ],
        },
      ],
    },
    {
      // The only stream: it becomes stdout at the level it had.
      code: "import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'api', streams: [{ level: 'error', path: '/var/tmp/api-error.log' }] });",
      errors: [
        {
          messageId: 'fileSink',
          data: { sink: 'A bunyan `path` stream' },
          suggestions: [
            { messageId: 'logToStdout', output: "import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'api', streams: [{ level: 'error', stream: process.stdout }] });" },
          ],
        },
      ],
    },
    {
      // A stderr stream for errors only does not carry the file's info lines: the file stream becomes stdout.
      code: "import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'api', streams: [{ level: 'error', stream: process.stderr }, { path: 'logs/api.log' }] });",
      errors: [
        {
          messageId: 'fileSink',
          suggestions: [
            {
              messageId: 'logToStdout',
              output: "import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'api', streams: [{ level: 'error', stream: process.stderr }, { stream: process.stdout }] });",
            },
          ],
        },
      ],
    },
    {
      // `addStream` on a logger that already writes stdout (bunyan's default without `streams`): the call goes.
      code: "import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'api' });\nlog.addStream({ path: 'logs/api.log' });\nexport default log;",
      errors: [
        {
          messageId: 'fileSink',
          line: 3,
          suggestions: [{ messageId: 'logToStdout', output: "import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'api' });\nexport default log;" }],
        },
      ],
    },
    {
      // A stream list spread from elsewhere: not rewritten.
      code: "import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'api', streams: [...extra, { path: 'logs/api.log' }] });",
      errors: [{ messageId: 'fileSink', suggestions: [] }],
    },
    // log4js: the file appenders go, categories keep the rest, or get a stdout appender without colour codes.
    {
      code: "import log4js from 'log4js';\nlog4js.configure({\n  appenders: { app: { type: 'dateFile', filename: 'logs/app.log' }, out: { type: 'stdout' } },\n  categories: { default: { appenders: ['app', 'out'], level: 'info' } },\n});",
      errors: [
        {
          messageId: 'fileSink',
          data: { sink: 'The log4js `dateFile` appender' },
          line: 3,
          column: 21,
          suggestions: [
            {
              messageId: 'logToStdout',
              output: "import log4js from 'log4js';\nlog4js.configure({\n  appenders: { out: { type: 'stdout' } },\n  categories: { default: { appenders: ['out'], level: 'info' } },\n});",
            },
          ],
        },
      ],
    },
    {
      code: "import log4js from 'log4js';\nlog4js.configure({\n  appenders: { file: { type: 'file', filename: 'app.log' } },\n  categories: { default: { appenders: ['file'], level: 'info' } },\n});",
      errors: [
        {
          messageId: 'fileSink',
          data: { sink: 'The log4js `file` appender' },
          suggestions: [
            {
              messageId: 'logToStdout',
              output:
                "import log4js from 'log4js';\nlog4js.configure({\n  appenders: { out: { type: 'stdout', layout: { type: 'basic' } } },\n  categories: { default: { appenders: ['out'], level: 'info' } },\n});",
            },
          ],
        },
      ],
    },
    {
      // log4js 1's appender array: not rewritten.
      code: "import log4js from 'log4js';\nlog4js.configure({ appenders: [{ type: 'file', filename: 'app.log' }] });",
      errors: [{ messageId: 'fileSink', suggestions: [] }],
    },
  ],
});

/** Shapes real services use that the rule missed, and a guard that was not one. */
ruleTester.run('no-file-logger-in-prod (pino multistream, winston 2, log4js configs, required variables)', rule, {
  valid: [
    // multistream to stdout and stderr only.
    `${pinoImport}const logger = pino({}, pino.multistream([{ stream: process.stdout }, { level: 'error', stream: process.stderr }]));`,
    // winston 2: the Console's options changed, not its presence.
    `${winstonImport}winston.remove(winston.transports.Console);\nwinston.add(winston.transports.Console, { json: true, timestamp: true });`,
    // An opt-in file behind an early return still is one.
    `${winstonImport}export function addFileLog(logger) {\n  if (!process.env.LOG_FILE) return;\n  logger.add(new winston.transports.File({ filename: process.env.LOG_FILE }));\n}`,
    // An appenders object that is not log4js's configuration.
    "export const config = { appenders: { main: { type: 'file', filename: 'x.log' } } };",
  ],
  invalid: [
    {
      // The file stream beside stdout goes; stdout stays.
      code: `${pinoImport}import fs from 'node:fs';\n\nexport const logger = pino(\n  { level: 'info' },\n  pino.multistream([\n    { stream: process.stdout },\n    { level: 'error', stream: fs.createWriteStream('./logs/error.log', { flags: 'a' }) },\n  ]),\n);\n`,
      errors: [
        {
          messageId: 'fileSink',
          data: { sink: "`fs.createWriteStream('./logs/error.log')` in `pino.multistream`" },
          line: 8,
          suggestions: [
            {
              messageId: 'logToStdout',
              output: `${pinoImport}\nexport const logger = pino(\n  { level: 'info' },\n  pino.multistream([\n    { stream: process.stdout },\n  ]),\n);\n`,
            },
          ],
        },
      ],
    },
    {
      // Only file streams: the first writes stdout instead, at its level.
      code: `${pinoImport}import { createWriteStream } from 'fs';\nconst streams = pino.multistream([{ level: 'debug', stream: createWriteStream('app.log') }, { level: 'error', stream: pino.destination('error.log') }]);\nexport const logger = pino({}, streams);`,
      errors: [
        { messageId: 'fileSink', data: { sink: "`createWriteStream('app.log')` in `pino.multistream`" }, suggestions: [{ messageId: 'logToStdout', output: `${pinoImport}const streams = pino.multistream([{ level: 'debug', stream: process.stdout }]);\nexport const logger = pino({}, streams);` }] },
        { messageId: 'fileSink', data: { sink: "`pino.destination('error.log')` in `pino.multistream`" }, suggestions: [{ messageId: 'logToStdout', output: `${pinoImport}const streams = pino.multistream([{ level: 'debug', stream: process.stdout }]);\nexport const logger = pino({}, streams);` }] },
      ],
    },
    {
      // pino/file to a path built with `resolve` destructured from node:path.
      code: `${pinoImport}const { resolve } = require('node:path');\nexport const logger = pino({\n  transport: { target: 'pino/file', options: { destination: resolve(__dirname, '../logs/app.log'), mkdir: true } },\n});`,
      errors: [
        {
          messageId: 'fileSink',
          suggestions: [{ messageId: 'logToStdout', output: `${pinoImport}export const logger = pino({});` }],
        },
      ],
    },
    {
      // winston 2's default logger, configured by class.
      code: `${winstonImport}\nwinston.remove(winston.transports.Console);\nwinston.add(winston.transports.File, { filename: 'logs/app.log', json: true });\n\nexport default winston;\n`,
      errors: [
        { messageId: 'consoleRemoved', line: 3, suggestions: [{ messageId: 'logToStdout', output: `${winstonImport}\nexport default winston;\n` }] },
        {
          messageId: 'winstonFileTransport',
          data: { sink: "The winston `File` transport ('logs/app.log')" },
          line: 4,
          suggestions: [{ messageId: 'logToStdout', output: `${winstonImport}\nexport default winston;\n` }],
        },
      ],
    },
    {
      // A log4js configuration in a module of its own.
      code: "module.exports = {\n  appenders: {\n    out: { type: 'stdout' },\n    app: { type: 'dateFile', filename: 'logs/app.log', pattern: 'yyyy-MM-dd' },\n  },\n  categories: { default: { appenders: ['out', 'app'], level: 'info' } },\n};",
      errors: [
        {
          messageId: 'fileSink',
          data: { sink: 'The log4js `dateFile` appender' },
          line: 4,
          suggestions: [
            {
              messageId: 'logToStdout',
              output: "module.exports = {\n  appenders: {\n    out: { type: 'stdout' },\n  },\n  categories: { default: { appenders: ['out'], level: 'info' } },\n};",
            },
          ],
        },
      ],
    },
    {
      // A required variable checked at the top of the file does not make the logger opt-in.
      code: `${winstonImport}if (!process.env.DATABASE_URL) {\n  throw new Error('DATABASE_URL is required');\n}\nexport const logger = winston.createLogger({\n  transports: [new winston.transports.Console(), new winston.transports.File({ filename: 'logs/app.log' })],\n});`,
      errors: [
        {
          messageId: 'winstonFileTransport',
          line: 6,
          suggestions: [
            {
              messageId: 'logToStdout',
              output: `${winstonImport}if (!process.env.DATABASE_URL) {\n  throw new Error('DATABASE_URL is required');\n}\nexport const logger = winston.createLogger({\n  transports: [new winston.transports.Console()],\n});`,
            },
          ],
        },
      ],
    },
  ],
});

describe('NODE_ENV guards (src/logger/node-env-guard.ts)', () => {
  /** The fact the helper reads from `if (<condition>)`, through a throw-away rule so scopes are real. */
  function factOf(prelude: string, condition: string): string | undefined {
    let fact: string | undefined = 'not visited';
    const probe = {
      meta: { type: 'problem' as const, schema: [], messages: {} },
      create: (context: { sourceCode: { getScope(node: unknown): unknown } }) => ({
        IfStatement(node: { test: unknown }) {
          fact = conditionFact(node.test as never, context.sourceCode.getScope(node) as never);
        },
      }),
    };
    const linter = new Linter({ configType: 'flat' });
    const messages = linter.verify(`${prelude}\nif (${condition}) {}`, {
      plugins: { probe: { rules: { fact: probe as never } } },
      rules: { 'probe/fact': 'error' },
    });
    expect(messages).toEqual([]);
    return fact;
  }

  it.each([
    ['', "process.env.NODE_ENV === 'production'", 'production'],
    ['', "process.env.NODE_ENV !== 'production'", 'non-production'],
    ['', "'production' != process.env['NODE_ENV']", 'non-production'],
    ['', "process.env.NODE_ENV === 'development'", 'non-production'],
    ['', "process.env.NODE_ENV !== 'development'", undefined],
    ["const isProd = process.env.NODE_ENV === 'production';", '!isProd', 'non-production'],
    ["const isProd = process.env.NODE_ENV === 'production';", 'isProd', 'production'],
    ['const { NODE_ENV } = process.env;', "NODE_ENV === 'test' || NODE_ENV === 'development'", 'non-production'],
    ['const { NODE_ENV } = process.env;', "NODE_ENV === 'test' || NODE_ENV === 'production'", undefined],
    ["const env = process.env.NODE_ENV ?? 'development';", "env === 'development'", undefined],
    ['', "Boolean(process.env.DEBUG) && process.env.NODE_ENV !== 'production'", 'non-production'],
    ['', "['development', 'test'].includes(process.env.NODE_ENV)", 'non-production'],
    ['', "['development', 'production'].includes(process.env.NODE_ENV)", undefined],
    ['', 'process.env.LOG_FILE', 'opt-in'],
    ['', "process.env.LOG_TO_FILE === 'true'", 'opt-in'],
    ['', "process.env.LOG_TO_FILE !== 'false'", undefined],
    ['', '!process.env.NO_FILE_LOGS', undefined],
    ["let isProd = process.env.NODE_ENV === 'production';\nisProd = true;", '!isProd', undefined],
    ['', 'config.isProduction', undefined],
  ])('%s if (%s) → %s', (prelude, condition, expected) => {
    expect(factOf(prelude, condition)).toBe(expected);
  });
});
