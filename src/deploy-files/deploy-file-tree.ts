import type { TSESLint } from '@typescript-eslint/utils';
import { deployFileParser } from '../configs/deploy-files';

/**
 * Listeners that call `check` once with the tree a deploy-file rule reads: the Program its parser made
 * under the plugin's languages, or, where a config gives the file @eslint/json's language (`**\/*.json`
 * after deploy-safe's config: package.json, railway.json), the file's text parsed again with the parser
 * the plugin gives that file, so the findings are the same under either language.
 */
export function onDeployFileTree(
  context: { filename: string; sourceCode: { text: string; parserServices?: unknown } },
  check: (program: unknown, services: unknown) => void,
): TSESLint.RuleListener {
  return {
    Program: (program) => check(program, context.sourceCode.parserServices),
    Document: () => {
      const parser = deployFileParser(context.filename);
      if (!parser) return;
      let parsed: { ast: unknown; services?: unknown };
      try {
        parsed = parser.parseForESLint(context.sourceCode.text, { filePath: context.filename });
      } catch {
        return; // @eslint/json read it; a text only JSON5 accepts is not a deploy file
      }
      check(parsed.ast, parsed.services);
    },
  };
}
