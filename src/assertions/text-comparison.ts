/**
 * Prepares text for contains, notContains and equals. Both sides are NFC
 * normalized, so "é" written as one code point equals "é" written as "e"
 * plus a combining accent. ignoreCase lowercases with toLowerCase, which
 * applies Unicode's default case mapping and ignores the locale, so the
 * result does not depend on the machine's language settings.
 *
 * NOTE: lowercasing is not full case folding: "STRASSE" does not equal
 * "straße", and "İstanbul" lowercases to "i" plus a combining dot, so it
 * does not equal "istanbul".
 */
export function comparableText(text: string, ignoreCase: boolean): string {
  const normalized = text.normalize('NFC');
  return ignoreCase ? normalized.toLowerCase() : normalized;
}
