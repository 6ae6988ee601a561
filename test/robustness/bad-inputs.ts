/**
 * A throw-away project full of the files real repositories contain and tools choke on, next to good
 * files that must still be linted and rewritten: files with syntax errors, binary and huge files,
 * a BOM, CRLF line endings, a Latin-1 file, entries that cannot be read, and a package.json that is
 * not JSON. Built in a temp directory at test time (binary files, FIFOs and dangling symlinks do not
 * belong in git).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { removeQuietly } from '../helpers/scratch';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Words that get a file past the codemods' substring bail-outs, so the bad files are really parsed. */
export const TRIGGER_WORDS = `// fastify app.listen( hapi PrismaClient prisma.user.findUnique create upsert winston transports.File createLogger
// process.on('SIGTERM') SIGINT server.close db push migrate deploy pino logger`;

export interface BadFile {
  /** Path relative to the project root. */
  path: string;
  /** Why it is there. */
  kind: string;
  /** The file can be read (false: dangling symlink, FIFO, no permission). */
  readable: boolean;
}

export interface BadProject {
  root: string;
  bad: BadFile[];
  /** Good files that the plugin flags and a codemod rewrites: `src/<name>` → original text. */
  good: Record<string, string>;
  /** Every regular file's bytes, as written (to prove bad files were not touched). */
  snapshot(): Map<string, Buffer>;
  cleanup(): Promise<void>;
}

export const GOOD_FASTIFY = "import Fastify from 'fastify';\n\nconst app = Fastify();\napp.listen({ port: Number(process.env.PORT) });\n";

function binaryBytes(): Buffer {
  const bytes = Buffer.alloc(4096);
  let state = 12345;
  for (let index = 0; index < bytes.length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  // NULs, invalid UTF-8 and the trigger words in the middle: a compiled addon or image named .js.
  return Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0xff, 0xfe]), bytes.subarray(0, 2048), Buffer.from(`\n${TRIGGER_WORDS}\n`), bytes.subarray(2048)]);
}

/** About 1.2 MB of valid, ordinary JavaScript with one flaggable listen call at the very end. */
export function hugeSource(): string {
  const lines = ["'use strict';", "const fastify = require('fastify');", 'const table = {'];
  for (let index = 0; index < 20_000; index++) lines.push(`  key${index}: { id: ${index}, label: 'label number ${index}', enabled: ${index % 2 === 0} },`);
  lines.push('};', 'const app = fastify();', "app.get('/', async () => table);", 'app.listen({ port: 3000 });', '');
  return lines.join('\n');
}

export function createBadProject(options: { fifo?: boolean } = {}): BadProject {
  const root = mkdtempSync(join(tmpdir(), 'deploy-safe-bad-input-'));
  const bad: BadFile[] = [];
  const good: Record<string, string> = {};
  const write = (path: string, content: string | Buffer): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  const addBad = (path: string, kind: string, content: string | Buffer): void => {
    write(path, content);
    bad.push({ path, kind, readable: true });
  };

  write('src/good-server.ts', GOOD_FASTIFY);
  good['src/good-server.ts'] = GOOD_FASTIFY;
  const bom = `\uFEFF${GOOD_FASTIFY}`;
  write('src/bom-server.ts', bom);
  good['src/bom-server.ts'] = bom;
  const crlf = "const Fastify = require('fastify');\r\n\r\nconst app = Fastify();\r\napp.listen({ port: 8080 }, (error) => {\r\n  if (error) throw error;\r\n});\r\n";
  write('src/crlf-server.js', crlf);
  good['src/crlf-server.js'] = crlf;
  const huge = hugeSource();
  write('src/huge-table.js', huge);
  good['src/huge-table.js'] = huge;

  addBad('src/syntax-error.ts', 'syntax error', `${TRIGGER_WORDS}\nimport Fastify from 'fastify';\nconst app = Fastify();\napp.listen({ port: 3000 });\nconst = ;\n`);
  addBad('src/half-written.js', 'truncated file (an editor crashed mid-save)', `${TRIGGER_WORDS}\nconst app = require('fastify')();\napp.listen({ port: 3000, `);
  addBad('src/addon.js', 'binary file with a .js name', binaryBytes());
  addBad('src/template.ts', 'template placeholders, not TypeScript', `${TRIGGER_WORDS}\n{{#if fastify}}\napp.listen({{ port }});\n{{/if}}\n`);
  addBad('src/utf16.ts', 'UTF-16 file (read as UTF-8 it is not code)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${TRIGGER_WORDS}\nimport Fastify from 'fastify';\nFastify().listen({ port: 3000 });\n`, 'utf16le')]));
  addBad('package.json', 'package.json that is not valid JSON', '{\n  "name": "service",\n  "scripts": {\n    "start": "prisma db push && node dist/server.js",\n  },\n');

  symlinkSync(join(root, 'src', 'deleted-file.js'), join(root, 'src', 'dangling-link.js'));
  bad.push({ path: 'src/dangling-link.js', kind: 'dangling symlink', readable: false });
  if (options.fifo) {
    execFileSync('mkfifo', [join(root, 'src', 'named-pipe.js')]);
    bad.push({ path: 'src/named-pipe.js', kind: 'FIFO (reading it blocks forever)', readable: false });
  }

  const snapshot = (): Map<string, Buffer> => {
    const files = new Map<string, Buffer>();
    const walk = (directory: string, prefix: string): void => {
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const relativePath = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(join(directory, entry.name), relativePath);
        else if (entry.isFile()) files.set(relativePath, readFileSync(join(directory, entry.name)));
      }
    };
    walk(root, '');
    return files;
  };
  return { root, bad, good, snapshot, cleanup: () => removeQuietly(root) };
}
