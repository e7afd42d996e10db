import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';

import { labelSelectorProblem } from '../../src/operator/label-selector.js';
import { acceptedSelectors, rejectedSelectors } from '../fixtures/label-selectors.js';

const config = new KubeConfig();
config.loadFromFile(inject('kubeconfigPath'));
const api = config.makeApiClient(CoreV1Api);

/** Returns the status of a list request with this selector: 200 when kube-apiserver parses it. */
async function listStatus(labelSelector: string): Promise<number> {
  try {
    await api.listNamespacedConfigMap({ namespace: 'default', labelSelector, limit: 1 });
    return 200;
  } catch (error) {
    if (error instanceof ApiException) return error.code;
    throw error;
  }
}

describe('label selector syntax against kube-apiserver', () => {
  it.each(acceptedSelectors)('the API server accepts %j, as the operator does', async (selector) => {
    expect(labelSelectorProblem(selector)).toBeUndefined();
    expect(await listStatus(selector)).toBe(200);
  });

  it.each(rejectedSelectors)('the API server rejects %j, as the operator does', async (selector) => {
    expect(labelSelectorProblem(selector)).toBeDefined();
    expect(await listStatus(selector)).toBe(400);
  });
});
