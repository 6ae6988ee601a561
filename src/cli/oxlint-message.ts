/** What oxlint-plugin.ts puts between a report's message id and its message (ASCII unit separator). */
export const MESSAGE_ID_SEPARATOR = '\u001f';
