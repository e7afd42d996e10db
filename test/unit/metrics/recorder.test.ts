import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { runMonitor } from '../../../src/engine/run.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../../src/metrics/recorder.js';
import { FailureReason } from '../../../src/reasons.js';
import { buildMonitor, ScriptedProvider } from '../engine/builders.js';

async function recordOneRun(script: ConstructorParameters<typeof ScriptedProvider>[0], name = 'bot') {
  const registry = new Registry();
  const recorder = new MetricsRecorder(createMetrics(registry));
  const monitor = buildMonitor({}, name);
  const result = await runMonitor(monitor, { providers: new Map([['primary', new ScriptedProvider(script)]]) });
  recorder.recordRun(result);
  return { registry, recorder, monitor };
}

describe('MetricsRecorder', () => {
  it('exports probe series with bounded labels', async () => {
    const { registry } = await recordOneRun(['Paris', { fail: FailureReason.RateLimited }]);

    const text = await registry.metrics();

    const labels = 'namespace="team-a",monitor="bot",target="primary",model="gpt-4o",probe="capital"';
    expect(text).toContain(`llm_monitor_probe_success{${labels}} 0`);
    expect(text).toContain(`llm_monitor_probe_pass_ratio{${labels}} 0.5`);
    expect(text).toContain(`llm_monitor_probe_errors_total{${labels},reason="RateLimited"} 2`);
    expect(text).toContain(`llm_monitor_probe_samples_total{${labels},result="pass"} 2`);
    expect(text).toContain(`llm_monitor_probe_samples_total{${labels},result="fail"} 0`);
    expect(text).toContain(`llm_monitor_probe_samples_total{${labels},result="error"} 2`);
    expect(text).toContain(`llm_monitor_probe_duration_seconds_count{${labels}} 2`);
    expect(text).toContain(`llm_monitor_assertion_results_total{${labels},assertion="contains",result="pass"} 2`);
    expect(text).toContain('llm_monitor_runs_total{namespace="team-a",monitor="bot",result="completed"} 1');
    expect(text).toContain('gen_ai_client_operation_duration_seconds_count{namespace="team-a",monitor="bot",target="primary",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",error_type=""} 2');
    expect(text).toContain('gen_ai_client_token_usage_bucket{le="4",namespace="team-a",monitor="bot",target="primary",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_token_type="input"} 2');
  });

  it('removes every series of a removed monitor', async () => {
    const { registry, recorder, monitor } = await recordOneRun(['Paris']);

    recorder.removeMonitor(monitor.key);

    const text = await registry.metrics();
    expect(text).not.toContain('monitor="bot"');
  });
});
