import { resolveMonitor, type ResolvedMonitor } from '../../../src/api/defaults.js';
import { validateMonitor } from '../../../src/api/validate.js';
import type { LLMMonitorSpec } from '../../../src/api/types.js';
import { ProbeError, type ChatRequest, type ChatResponse, type Provider } from '../../../src/providers/provider.js';
import type { FailureReason } from '../../../src/reasons.js';

/** A monitor with one target and one probe, overridable field by field. */
export function buildMonitor(spec: Partial<LLMMonitorSpec> = {}, name = 'bot'): ResolvedMonitor {
  const manifest = {
    apiVersion: 'llmmonitor.dev/v1alpha1',
    kind: 'LLMMonitor',
    metadata: { name, namespace: 'team-a' },
    spec: {
      schedule: { interval: '1m' },
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o' }],
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'capital of France?' }], samples: 4, expect: [{ contains: 'Paris' }] }],
      ...spec,
    },
  };
  return resolveMonitor(validateMonitor(manifest, 'test'));
}

/** A provider that answers from a script: each call takes the next entry, an answer text or a failure reason. */
export class ScriptedProvider implements Provider {
  readonly name = 'openai' as const;
  readonly requests: ChatRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private index = 0;

  constructor(
    private readonly script: (string | { fail: FailureReason })[],
    private readonly delayMs = 5,
  ) {}

  async chat(request: ChatRequest): Promise<ChatResponse> {
    this.requests.push(request);
    const step = this.script[this.index++ % this.script.length];
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.inFlight--;
    if (typeof step === 'object') throw new ProbeError(step.fail, `scripted ${step.fail}`, { status: 429, latencySeconds: 0.01 });
    return { text: step ?? '', finishReason: 'stop', latencySeconds: 0.2, timeToFirstTokenSeconds: 0.05, usage: { inputTokens: 3, outputTokens: 1 } };
  }
}
