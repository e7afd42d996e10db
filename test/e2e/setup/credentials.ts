import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files that authenticate the test clients and sign service account tokens. */
export interface Credentials {
  /** Bearer token of user `admin` in group `system:masters`. */
  token: string;
  /** CSV file for kube-apiserver's `--token-auth-file`. */
  tokenFile: string;
  /** PEM RSA private key that signs service account tokens. */
  serviceAccountPrivateKeyFile: string;
  /** PEM public key that verifies them. */
  serviceAccountPublicKeyFile: string;
}

/** Writes a random admin token and a new service account key pair into `folder`. */
export async function writeCredentials(folder: string): Promise<Credentials> {
  const token = randomBytes(32).toString('hex');
  const tokenFile = join(folder, 'tokens.csv');
  // Columns: token, user name, user id, then the groups as one quoted field.
  await writeFile(tokenFile, `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });

  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const serviceAccountPrivateKeyFile = join(folder, 'service-account.key');
  const serviceAccountPublicKeyFile = join(folder, 'service-account.pub');
  await writeFile(serviceAccountPrivateKeyFile, privateKey, { mode: 0o600 });
  await writeFile(serviceAccountPublicKeyFile, publicKey);

  return { token, tokenFile, serviceAccountPrivateKeyFile, serviceAccountPublicKeyFile };
}
