/**
 * Generates the header of each `docs/rules/<rule>.md` and the rules table in README.md from the rules'
 * metadata. `--check` fails (exit 1) when a generated part is out of date, so CI catches a stale table.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import plugin from '../src/index';

const root = join(__dirname, '..');
const check = process.argv.includes('--check');
const stale: string[] = [];

function replaceBetween(text: string, begin: string, end: string, content: string, file: string): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start === -1 || stop === -1 || stop < start) throw new Error(`${file}: missing ${begin} … ${end} markers`);
  return `${text.slice(0, start + begin.length)}\n${content}\n${text.slice(stop)}`;
}

function update(file: string, next: string, previous: string): void {
  if (next === previous) return;
  if (check) stale.push(file);
  else writeFileSync(file, next);
}

const strictRules = new Set(
  plugin.configs.strict.flatMap((config) => Object.keys(config.rules ?? {})).map((id) => id.replace('deploy-safe/', '')),
);
const CODE_FLAGS = "--extensions=ts,tsx,js,jsx,mjs,cjs,mts,cts --ignore-pattern='**/node_modules/**'";
/** What each codemod is pointed at, as in the README's codemod table (default `src/`). */
const CODEMOD_TARGETS: Record<string, string> = {
  'no-multiple-prisma-clients': `${CODE_FLAGS} .`, // seed scripts and jobs live outside src/
  'no-findunique-then-create': `${CODE_FLAGS} .`,
  // Deploy files are named, not walked; `--extensions=` turns off the filter that drops named files too.
  'no-db-push-script': '--extensions= package.json railway.json Dockerfile',
  'sigterm-must-reach-node': '--extensions= Dockerfile docker-compose.yml',
};

const rows: string[] = [];
for (const [id, rule] of Object.entries(plugin.rules) as [string, { meta: { docs?: { description?: string; recommended?: boolean }; fixable?: string; hasSuggestions?: boolean } }][]) {
  const { docs, fixable, hasSuggestions } = rule.meta;
  const docPath = join(root, 'docs', 'rules', `${id}.md`);
  const codemod = `dist/codemods/${id}.js`;
  const header = [
    `📝 ${docs?.description}.`,
    '',
    docs?.recommended ? '💼 Enabled in the ✅ `recommended` and 🔒 `strict` configs.' : strictRules.has(id) ? '💼 Enabled in the 🔒 `strict` config.' : '💼 Not enabled in any config.',
    fixable ? '🔧 Some problems are fixed automatically by `eslint --fix`.' : '',
    hasSuggestions ? '💡 Some problems have editor suggestions.' : '',
    `🧰 Codemod: \`npx jscodeshift --no-babel -t node_modules/eslint-plugin-deploy-safe/${codemod} ${CODEMOD_TARGETS[id] ?? `${CODE_FLAGS} src/`}\` ([all flags](../../README.md#codemods))`,
  ]
    .filter((line) => line !== '')
    .join('\n\n');
  if (!existsSync(docPath)) throw new Error(`docs/rules/${id}.md is missing`);
  const doc = readFileSync(docPath, 'utf8');
  let next = replaceBetween(doc, '<!-- begin auto-generated rule header -->', '<!-- end auto-generated rule header -->', header, docPath);
  if (next.includes('<!-- begin auto-generated rule options list -->')) {
    next = replaceBetween(next, '<!-- begin auto-generated rule options list -->', '<!-- end auto-generated rule options list -->', optionsTable(rule), docPath);
  }
  update(docPath, next, doc);
  rows.push(
    `| [${id}](docs/rules/${id}.md) | ${docs?.description} | ${docs?.recommended ? '✅' : ''} | ${fixable ? '🔧' : ''} | ${hasSuggestions ? '💡' : ''} | [\`${id}\`](codemods/${id}.ts) |`,
  );
}

function optionsTable(rule: unknown): string {
  const { meta } = rule as {
    meta: {
      schema?: { properties?: Record<string, { type?: string; description?: string; enum?: unknown[]; items?: { type?: string } }> }[];
      defaultOptions?: Record<string, unknown>[];
    };
  };
  const properties = meta.schema?.[0]?.properties ?? {};
  const defaults = meta.defaultOptions?.[0] ?? {};
  const lines = ['', '| Name | Description | Type | Default |', '| :-- | :-- | :-- | :-- |'];
  for (const [name, property] of Object.entries(properties)) {
    const type = property.enum
      ? property.enum.map((value) => `\`${JSON.stringify(value)}\``).join(', ')
      : property.type === 'array'
        ? `${property.items?.type ?? 'value'}[]`
        : (property.type ?? '');
    const fallback = name in defaults ? `\`${JSON.stringify(defaults[name])}\`` : '';
    lines.push(`| \`${name}\` | ${(property.description ?? '').replace(/\|/g, '\\|')} | ${type} | ${fallback} |`);
  }
  return `${lines.join('\n')}\n`;
}

const table = [
  '✅ in `recommended` · 🔧 fixable with `--fix` · 💡 editor suggestions · 🧰 codemod',
  '',
  '| Rule | Description | ✅ | 🔧 | 💡 | 🧰 Codemod |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
update(readmePath, replaceBetween(readme, '<!-- begin auto-generated rules list -->', '<!-- end auto-generated rules list -->', table, readmePath), readme);

if (stale.length > 0) {
  console.error(`Out of date (run \`npm run docs\`):\n${stale.map((file) => `  ${file}`).join('\n')}`);
  process.exit(1);
}
