import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';
import { scratchDirectory } from '../helpers/scratch';

/**
 * The exported `RuleOptions` types come from each rule's `Options` type parameter; ESLint validates with the
 * rule's JSON schema. This compiles, for every rule, the schema turned into a TypeScript type against
 * `RuleOptions[id]` both ways, so a property added to one and not the other fails here.
 */
type Schema = {
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
};

function typeOfSchema(schema: Schema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  switch (schema.type) {
    case 'boolean':
    case 'string':
      return schema.type;
    case 'integer':
    case 'number':
      return 'number';
    case 'array':
      return `readonly (${schema.items ? typeOfSchema(schema.items) : 'unknown'})[]`;
    case 'object': {
      if (schema.additionalProperties !== false) throw new Error('options objects must set additionalProperties: false');
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(schema.properties ?? {}).map(([key, value]) => `${JSON.stringify(key)}${required.has(key) ? '' : '?'}: ${typeOfSchema(value)}`);
      return `{ ${entries.join('; ')} }`;
    }
    default:
      throw new Error(`schema type ${String(schema.type)} has no TypeScript counterpart in this test`);
  }
}

const rules = plugin.rules as unknown as Record<string, { meta: { schema: Schema[] | Schema } }>;

describe('exported rule option types', () => {
  it('match every rule JSON schema, both ways', () => {
    const dir = scratchDirectory('deploy-safe-option-types-');
    const lines = [
      `import type { RuleOptions } from ${JSON.stringify(join(__dirname, '..', '..', 'src', 'index'))};`,
      // Deeply readonly on both sides: a schema says nothing about mutability.
      'type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;',
      'type Same<A, B> = [DeepReadonly<A>] extends [DeepReadonly<B>] ? ([DeepReadonly<B>] extends [DeepReadonly<A>] ? true : false) : false;',
    ];
    for (const [id, rule] of Object.entries(rules)) {
      const schema = Array.isArray(rule.meta.schema) ? rule.meta.schema : [rule.meta.schema];
      const tuple = `[${schema.map((item) => typeOfSchema(item)).join(', ')}]`;
      lines.push(`export const ${id.replace(/-(.)/g, (_, c: string) => c.toUpperCase())}: Same<${tuple}, RuleOptions['deploy-safe/${id}']> = true;`);
    }
    const file = join(dir, 'check.ts');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      typeRoots: [join(__dirname, '..', '..', 'node_modules', '@types')],
      resolveJsonModule: true,
      esModuleInterop: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file?.fileName === file)
      .map((diagnostic) => `${ts.getLineAndCharacterOfPosition(diagnostic.file!, diagnostic.start!).line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    expect(diagnostics, lines.join('\n')).toEqual([]);
    expect(Object.keys(rules).length).toBeGreaterThan(0);
  }, 120_000);
});
