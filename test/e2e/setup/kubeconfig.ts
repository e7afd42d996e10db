import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

/** What a client needs to reach the API server. */
export interface ClusterAccess {
  server: string;
  /** PEM certificate authority of the serving certificate. */
  caPem: string;
  token: string;
}

const contextName = 'llm-monitor-test';

/** Writes a kubeconfig with one cluster, one token user and a current context using both. */
export async function writeKubeconfig(path: string, access: ClusterAccess): Promise<void> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: contextName,
        cluster: {
          server: access.server,
          'certificate-authority-data': Buffer.from(access.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: 'admin', user: { token: access.token } }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: 'admin' } }],
    'current-context': contextName,
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
}

/**
 * Reads the certificate authority that kube-apiserver generated in its
 * `--cert-dir`: the file contains the serving certificate followed by the CA
 * certificate that signed it. Returns undefined until the file is complete.
 */
export async function readGeneratedCa(certificatePath: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(certificatePath, 'utf8');
  } catch {
    return undefined;
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
  for (const block of blocks) {
    try {
      if (new X509Certificate(block).ca) return block;
    } catch {
      // A block cut off by a write in progress, which the next poll reads whole.
    }
  }
  return undefined;
}

/** Server URL and bearer token of the current context of a kubeconfig file. */
export function readCurrentContext(path: string): { server: string; token: string | undefined } {
  const config = new KubeConfig();
  config.loadFromFile(path);
  const cluster = config.getCurrentCluster();
  if (cluster === null) throw new Error(`kubeconfig ${path} has no current context with a cluster`);
  return { server: cluster.server, token: config.getCurrentUser()?.token };
}
