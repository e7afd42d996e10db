import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveBinaries } from './binaries.js';

describe('resolveBinaries', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'llm-monitor-binaries-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function addExecutables(...names: string[]): Promise<void> {
    for (const name of names) {
      await writeFile(join(folder, name), '#!/bin/sh\n');
      await chmod(join(folder, name), 0o755);
    }
  }

  it('uses KUBEBUILDER_ASSETS without building', async () => {
    await addExecutables('etcd', 'kube-apiserver', 'kubectl', 'kube-controller-manager');

    const binaries = await resolveBinaries({ KUBEBUILDER_ASSETS: folder, PATH: '' }, join(folder, 'unused'));

    expect(binaries).toEqual({
      etcd: join(folder, 'etcd'),
      kubeApiServer: join(folder, 'kube-apiserver'),
      kubectl: join(folder, 'kubectl'),
      kubeControllerManager: join(folder, 'kube-controller-manager'),
    });
  });

  it('accepts KUBEBUILDER_ASSETS without kube-controller-manager', async () => {
    await addExecutables('etcd', 'kube-apiserver', 'kubectl');

    const binaries = await resolveBinaries({ KUBEBUILDER_ASSETS: folder, PATH: '' });

    expect(binaries.kubeControllerManager).toBeUndefined();
  });

  it('names what KUBEBUILDER_ASSETS lacks', async () => {
    await addExecutables('kubectl');

    const resolved = resolveBinaries({ KUBEBUILDER_ASSETS: folder, PATH: '' });

    await expect(resolved).rejects.toThrow(`missing etcd, kube-apiserver in ${folder} (from KUBEBUILDER_ASSETS)`);
  });

  it('says what to install when Go is missing', async () => {
    const resolved = resolveBinaries({ PATH: join(folder, 'no-go-here') }, folder);

    await expect(resolved).rejects.toThrow(/^Go is not installed.*Install Go 1\.25 or later.*KUBEBUILDER_ASSETS.*USE_EXISTING_CLUSTER=true/);
  });
});
