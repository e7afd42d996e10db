import { inject } from 'vitest';
import { stringify } from 'yaml';
import type { LLMMonitor } from '../../../src/api/types.js';
import { runKubectl } from '../setup/kubectl.js';

/** kubectl against the shared control plane; resolves with a non-zero code instead of throwing. */
export function kubectl(args: string[], input?: string) {
  const options: { input?: string } = {};
  if (input !== undefined) options.input = input;
  return runKubectl(inject('kubectlPath'), inject('kubeconfigPath'), args, options);
}

/** kubectl that must succeed; returns its standard output. */
export async function kubectlOk(args: string[], input?: string): Promise<string> {
  const result = await kubectl(args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

export async function applyYaml(object: unknown): Promise<string> {
  return kubectlOk(['apply', '-f', '-'], stringify(object));
}

export async function getMonitor(namespace: string, name: string): Promise<LLMMonitor | undefined> {
  const result = await kubectl(['-n', namespace, 'get', 'llmmonitor', name, '-o', 'json']);
  return result.code === 0 ? (JSON.parse(result.stdout) as LLMMonitor) : undefined;
}

export async function createNamespace(name: string): Promise<void> {
  await kubectl(['create', 'namespace', name]);
}

/** A monitor probing the simulator through its OpenAI API, every 2 s. */
export function simulatorMonitor(namespace: string, name: string, simulatorUrl: string, spec: Record<string, unknown> = {}): LLMMonitor {
  return {
    apiVersion: 'llmmonitor.dev/v1alpha1',
    kind: 'LLMMonitor',
    metadata: { name, namespace },
    spec: {
      schedule: { interval: '2s', jitter: '0%' },
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${simulatorUrl}/v1`, timeout: '5s' }],
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Paris is the capital' }], samples: 2, expect: [{ contains: 'Paris' }] }],
      thresholds: { minPassRate: '90%', maxErrorRate: '10%' },
      ...spec,
    },
  } as LLMMonitor;
}
