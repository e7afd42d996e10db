/** Maximum number of characters (code points) of an answer that a result message may quote. */
export const maxQuotedCharacters = 80;

/**
 * Quotes the start of a text for a result message: at most `maxCharacters`
 * code points, as a JSON string so that line breaks stay on one line,
 * followed by … when the text was cut.
 */
export function quoteExcerpt(text: string, maxCharacters: number = maxQuotedCharacters): string {
  // Slicing UTF-16 units first keeps Array.from cheap on long answers. Twice
  // the limit always contains maxCharacters code points when the text has them.
  const head = Array.from(text.slice(0, 2 * maxCharacters));
  const shown = head.slice(0, maxCharacters).join('');
  const cut = head.length > maxCharacters || text.length > 2 * maxCharacters;
  return cut ? `${JSON.stringify(shown)}…` : JSON.stringify(shown);
}

/** Formats seconds for a result message: `850ms` below one second, else seconds with up to three decimals (`3.2s`). */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Number((seconds * 1000).toFixed(1))}ms`;
  return `${Number(seconds.toFixed(3))}s`;
}
