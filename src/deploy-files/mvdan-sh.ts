/**
 * The shell parser: mvdan/sh (the parser behind `shfmt`), in its synchronous JavaScript build
 * (`mvdan-sh`, GopherJS). Chosen by measurement over the corpus in test/deploy-files/: it agreed with
 * `bash -n` on every command (283 of 283, real and deliberately broken), as did `sh-syntax` (the same
 * parser as WebAssembly; its TinyGo module can be driven synchronously with `new WebAssembly.Module`
 * / `new WebAssembly.Instance` and its `_start`, ~2 ms a call, but the JSON AST it returns drops the
 * command nodes: `Cmd` is only a position), while
 * `@ericcornelissen/bash-parser` agreed on 267 (it rejects `case` and `for` lists written across
 * continuation lines). An ESLint parser must be synchronous, which rules out tree-sitter's wasm init.
 *
 * The package's JavaScript API wraps every field access in a reflection call (~40 µs each, so ~2 ms
 * for a one-line script); the tree is read here from the GopherJS objects behind it instead
 * (`__internal_object__`: Go structs as plain objects, slices as `$array`/`$offset`/`$length`) and
 * copied once into plain nodes, ~100 times faster. Positions become numbers: mvdan/sh's byte offsets
 * into the UTF-8 text (`byteToIndex` maps them to string indices), -1 where Go's position is unset.
 *
 * It is loaded on first use, so a lint run with no shell to read never pays for it.
 */

/** A node of mvdan/sh's syntax tree (`type`: its Go type name, `CallExpr`), fields as in Go. */
export interface ShNode {
  type: string;
  pos: number;
  end: number;
  [field: string]: unknown;
}

export interface ShComment extends ShNode {
  Hash: number;
  Text: string;
}

export interface ShFile extends ShNode {
  Stmts: ShNode[];
  Last: ShComment[];
}

interface GoValue {
  $val?: GoValue;
  $array?: unknown[];
  $offset?: number;
  $length?: number;
  constructor: { string?: string; nil?: unknown };
  Pos?: () => GoValue;
  End?: () => GoValue;
  Offset?: () => number;
  IsValid?: () => boolean;
  [field: string]: unknown;
}

interface MvdanSyntax {
  NewParser(...options: unknown[]): { Parse(text: string, name: string): { __internal_object__: GoValue } };
  KeepComments(keep: boolean): unknown;
  Variant(variant: unknown): unknown;
  LangBash: unknown;
}

let syntax: MvdanSyntax | undefined;
let parser: ReturnType<MvdanSyntax['NewParser']> | undefined;

function load(): MvdanSyntax {
  // Loaded on first use: its ~1.5 MB of JavaScript take ~100 ms to load, which a run with no shell to read skips.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  syntax ??= (require('mvdan-sh') as { syntax: MvdanSyntax }).syntax;
  return syntax;
}

const isNil = (value: GoValue): boolean => value === value.constructor.nil;

function position(value: GoValue): number {
  return value.IsValid!() ? value.Offset!() : -1;
}

/** A GopherJS value as plain data: structs and pointers to nodes, slices to arrays, positions to numbers. */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const go = value as GoValue;
  if (go.$array !== undefined) {
    const items: unknown[] = [];
    for (let k = 0; k < go.$length!; k += 1) items.push(plain(go.$array[go.$offset! + k]));
    return items;
  }
  const concrete = (go.$val && go.$val !== go && typeof go.$val === 'object' ? go.$val : go) as GoValue;
  if (isNil(concrete)) return null;
  const type = concrete.constructor.string ?? '';
  if (type === 'syntax.Pos' || type === '*syntax.Pos') return position(concrete);
  if (!type.includes('syntax.')) return undefined;
  const node: ShNode = { type: type.replace(/^\*?syntax\./, ''), pos: -1, end: -1 };
  if (typeof concrete.Pos === 'function') {
    node.pos = position(concrete.Pos());
    node.end = position(concrete.End!());
  }
  for (const key of Object.keys(concrete)) {
    if (key === '$val') continue;
    node[key] = plain(concrete[key]);
  }
  return node;
}

export type ShParse = { file: ShFile; error?: undefined } | { file?: undefined; error: string };

/**
 * The last few parses, by text: a package.json's scripts are read once for the scripts a deploy reaches
 * and again for their commands, by each rule. The trees are never modified. Bounded, so it holds no
 * more than a few hundred small trees whatever is linted.
 */
const recent = new Map<string, ShParse>();
const RECENT_LIMIT = 256;

/** Parses `text` as a Bash script (comments kept). Never throws: a syntax error comes back as `error`. */
export function parseShell(text: string): ShParse {
  let result = recent.get(text);
  if (!result) {
    result = parseUncached(text);
    if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value!);
    recent.set(text, result);
  }
  return result;
}

function parseUncached(text: string): ShParse {
  const sh = load();
  // One parser for the process: `Parse` starts afresh on every call (and a new parser costs more than a parse).
  parser ??= sh.NewParser(sh.KeepComments(true), sh.Variant(sh.LangBash));
  let parsed: { __internal_object__: GoValue };
  try {
    parsed = parser.Parse(text, '');
  } catch (error) {
    const message = (error as { Error?: () => string } | undefined)?.Error?.() ?? String(error);
    return { error: message.replace(/^:/, '') };
  }
  return { file: plain(parsed.__internal_object__) as ShFile };
}

/** A function from mvdan/sh's byte offsets to indices of `text` (the identity for ASCII text). */
export function byteToIndex(text: string): (offset: number) => number {
  if (/^[\u0000-\u007f]*$/.test(text)) return (offset) => offset;
  const indices: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const code = text.codePointAt(index)!;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < width; k += 1) indices.push(index);
    if (code > 0xffff) index += 1;
  }
  indices.push(text.length);
  return (offset) => indices[offset] ?? text.length;
}
