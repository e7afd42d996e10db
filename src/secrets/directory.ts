import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretKeyRef } from '../api/types.js';
import { cleanApiKey, SecretNotFoundError, type SecretResolver } from './secrets.js';

/**
 * Reads Secrets from a folder laid out like a mounted Secret volume:
 * DIR/<secret name>/<key>. The namespace is not part of the path, because the
 * standalone runner has none. Surrounding whitespace is removed, since files
 * written with `echo` end with a newline and API keys never do.
 */
export class DirectorySecretResolver implements SecretResolver {
  constructor(private readonly directory: string | undefined) {}

  async resolve(_namespace: string, ref: SecretKeyRef): Promise<string> {
    if (this.directory === undefined) {
      throw new SecretNotFoundError(
        `secret "${ref.name}" key "${ref.key}" is referenced but no --secrets-dir was given: pass --secrets-dir DIR with the key in DIR/${ref.name}/${ref.key}`,
      );
    }
    if (!isPlainName(ref.name) || !isPlainName(ref.key)) {
      throw new SecretNotFoundError(`secret "${ref.name}" key "${ref.key}": names must not contain "/" or be "." or ".."`);
    }
    const path = join(this.directory, ref.name, ref.key);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not readable' : 'could not be read';
      throw new SecretNotFoundError(`secret "${ref.name}" key "${ref.key}" ${why}: expected the file ${path}`, { cause: error });
    }
    return cleanApiKey(text, `secret "${ref.name}" key "${ref.key}" (file ${path})`);
  }
}

function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\');
}
