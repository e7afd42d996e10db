/** The outcome of reading an answer as JSON. */
export type AnswerJSON =
  | { ok: true; value: unknown; fenced: boolean }
  | { ok: false; message: string };

// An opening fence of three or more backticks or tildes and its info string
// (for example `json`), up to the end of the first line.
const openingFence = /^(`{3,}|~{3,})[^\n]*\n/;

/**
 * Parses an answer as JSON (any JSON value, RFC 8259), either bare or
 * wrapped in one Markdown code fence such as ```json … ```, because chat
 * models commonly wrap JSON that way. Prose before or after the fence makes
 * the answer invalid JSON.
 */
export function parseAnswerJSON(text: string): AnswerJSON {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'answer is empty, not JSON' };

  const body = unwrapCodeFence(trimmed);
  const fenced = body !== undefined;
  try {
    return { ok: true, value: JSON.parse(body ?? trimmed), fenced };
  } catch (error) {
    // V8's messages quote at most about ten characters of the input.
    const reason = error instanceof Error ? error.message : String(error);
    const where = fenced ? 'the code fence in the answer does not contain' : 'answer is not';
    return { ok: false, message: `${where} valid JSON: ${reason}` };
  }
}

/** Returns the text inside a code fence that spans the whole trimmed text, or undefined when there is none. */
function unwrapCodeFence(trimmed: string): string | undefined {
  const opening = openingFence.exec(trimmed);
  if (opening === null) return undefined;

  const marker = opening[1] ?? '```';
  const bodyStart = opening[0].length;
  const bodyEnd = trimmed.length - marker.length;
  if (bodyEnd < bodyStart || !trimmed.endsWith(marker)) return undefined;
  return trimmed.slice(bodyStart, bodyEnd);
}
