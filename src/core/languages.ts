/**
 * Other plugins' languages a user's config can give deploy files, which the deploy-file rules read as
 * well (each rule names them in `meta.languages`, for ESLint ≥ 10.2 to let it run there):
 * - @eslint/json's: a Momoa tree, rooted at a `Document`; the rules parse the text again (see
 *   deploy-files/deploy-file-tree.ts);
 * - eslint-plugin-yml's: yaml-eslint-parser's tree, the one the plugin's own YAML blocks make.
 */
export const JSON_LANGUAGES = ['json/json', 'json/jsonc', 'json/json5'];
export const OTHER_DEPLOY_FILE_LANGUAGES = [...JSON_LANGUAGES, 'yml/yaml'];

/** Whether a syntax tree is @eslint/json's. */
export function isJsonLanguageTree(ast: { type: string } | undefined): boolean {
  return ast?.type === 'Document';
}
