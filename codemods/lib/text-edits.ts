/** A replacement of `[start, end)` in the original text. Codemods that edit text keep everything else byte-identical. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Two edits of one rewrite touch the same text: applying both would corrupt it, so neither is. */
export class OverlappingEditsError extends Error {
  constructor(readonly offset: number) {
    super('two edits of this rewrite overlap (applying both would corrupt the code)');
  }
}

/**
 * Applies edits (in any order) to `source`. Edits that overlap, or two insertions at one offset,
 * throw OverlappingEditsError: their order would be a guess.
 */
export function applyEdits(source: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1];
    const edit = sorted[index];
    if (edit.start < previous.end || (edit.start === previous.start && edit.start === previous.end && edit.end === edit.start)) {
      throw new OverlappingEditsError(edit.start);
    }
  }
  let output = source;
  for (const edit of sorted.reverse()) output = output.slice(0, edit.start) + edit.text + output.slice(edit.end);
  return output;
}

/** The offsets babel and typescript parsers put on every node and comment. */
export function offsets(node: unknown): { start: number; end: number } {
  return node as { start: number; end: number };
}

/** Removes a whole statement: its lines, when it stands alone on them, else just its text. */
export function removeStatementEdit(source: string, start: number, end: number): TextEdit {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = source.indexOf('\n', end);
  const before = source.slice(lineStart, start);
  const after = source.slice(end, lineEnd === -1 ? source.length : lineEnd);
  if (before.trim() !== '' || after.trim() !== '') return { start, end, text: '' };
  let removeEnd = lineEnd === -1 ? source.length : lineEnd + 1;
  // Between two blank lines, take one of them too, so no double blank line is left behind.
  const previousLineStart = source.lastIndexOf('\n', lineStart - 2) + 1;
  const previousBlank = lineStart > 0 && source.slice(previousLineStart, lineStart).trim() === '';
  const nextLineEnd = source.indexOf('\n', removeEnd);
  const nextBlank = removeEnd < source.length && source.slice(removeEnd, nextLineEnd === -1 ? source.length : nextLineEnd).trim() === '';
  if ((previousBlank || lineStart === 0) && nextBlank) removeEnd = nextLineEnd === -1 ? source.length : nextLineEnd + 1;
  return { start: lineStart, end: removeEnd, text: '' };
}
