/**
 * Replaces every known secret value in text before it leaves the process.
 * Secrets are registered when resolved; the log destination and the CLI's
 * output pass their text through redact(). This is the last line of defence:
 * code must still never put a key into a message on purpose.
 */
export const redactedText = '[REDACTED]';

/** Values shorter than this are not registered: replacing them would mangle ordinary text, and no real API key is that short. */
const minimumSecretLength = 8;

export class Redactor {
  private readonly secrets = new Set<string>();

  add(value: string): void {
    if (value.length >= minimumSecretLength) this.secrets.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(redactedText);
    }
    return out;
  }
}
