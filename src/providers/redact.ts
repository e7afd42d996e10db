/**
 * Removal of the API key from text that leaves a provider client. Providers
 * sometimes echo the key in error bodies, and SDK errors carry those bodies in
 * their messages, so every message and cause a client builds passes through here.
 */

export const redactedMarker = '[REDACTED]';

/** Maximum depth of a cause chain that is copied. Deeper causes are dropped. */
const maxCauseDepth = 8;

/** Replaces every occurrence of the secret, and of its URL-encoded form, with a marker. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret === '') return text;

  let redacted = text.split(secret).join(redactedMarker);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) redacted = redacted.split(encoded).join(redactedMarker);
  return redacted;
}

/**
 * Copies an error and its cause chain into plain Errors whose name, message,
 * stack and `code` have the secret removed. Other properties are dropped on
 * purpose: SDK errors keep the response body and headers, which can contain
 * the key, and loggers serialize every enumerable property.
 */
export function redactErrorChain(error: unknown, secret: string | undefined, depth = 0): Error {
  const copy = new Error(redactSecret(messageOf(error), secret));

  if (error instanceof Error) {
    copy.name = redactSecret(error.name, secret);
    copy.stack = error.stack === undefined ? undefined : redactSecret(error.stack, secret);
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code: redactSecret(code, secret) });
    if (error.cause !== undefined && depth < maxCauseDepth) {
      copy.cause = redactErrorChain(error.cause, secret, depth + 1);
    }
  } else {
    copy.stack = `${copy.name}: ${copy.message}`;
  }
  return copy;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
