import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { runMonitor } from '../../../src/engine/run.js';
import { createMetrics, type MetricsOptions } from '../../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../../src/metrics/recorder.js';
import { FailureReason, RunNotStartedReason } from '../../../src/reasons.js';
import { Family, HistogramFamily, MetricsRegistry } from '../../../src/metrics/families.js';
import { buildMonitor, ScriptedProvider } from '../engine/builders.js';

async function recordOneRun(script: ConstructorParameters<typeof ScriptedProvider>[0], name = 'bot', metricsOptions: MetricsOptions = {}) {
  const registry = new Registry();
  const recorder = new MetricsRecorder(createMetrics(registry, metricsOptions));
  const monitor = buildMonitor({}, name);
  const result = await runMonitor(monitor, { providers: new Map([['primary', new ScriptedProvider(script)]]) });
  recorder.recordRun(result);
  return { registry, recorder, monitor };
}

describe('MetricsRecorder', () => {
  it('exports probe series with bounded labels', async () => {
    const { registry } = await recordOneRun(['Paris', { fail: FailureReason.RateLimited }], 'bot', { genAiMetrics: true });

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
    expect(text).toContain('gen_ai_client_token_usage_bucket{namespace="team-a",monitor="bot",target="primary",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_token_type="input",le="4"} 2');
  });

  it('exports no GenAI histograms by default', async () => {
    const { registry } = await recordOneRun(['Paris', { fail: FailureReason.RateLimited }]);

    const text = await registry.metrics();

    expect(text).toContain('llm_monitor_probe_duration_seconds_count{namespace="team-a",monitor="bot",target="primary",model="gpt-4o",probe="capital"} 2');
    expect(text).toContain('llm_monitor_tokens_total{namespace="team-a",monitor="bot",target="primary",model="gpt-4o",type="input"}');
    expect(text).not.toContain('gen_ai_');
  });

  it('renders a run\'s series when it records them, so that a scrape only copies text', async () => {
    const registry = new MetricsRegistry();
    const recorder = new MetricsRecorder(createMetrics(registry, { genAiMetrics: true }));
    recorder.recordRun(await runMonitor(buildMonitor({}, 'bot'), { providers: new Map([['primary', new ScriptedProvider(['Paris', { fail: FailureReason.RateLimited }])]]) }));
    const rendered = [vi.spyOn(Family.prototype as never, 'renderSeries'), vi.spyOn(HistogramFamily.prototype as never, 'renderSeries')];

    const text = await registry.metrics();

    expect(text).toContain('llm_monitor_probe_duration_seconds_count{');
    for (const spy of rendered) expect(spy).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it('removes every series of a removed monitor', async () => {
    const { registry, recorder, monitor } = await recordOneRun(['Paris']);

    recorder.removeMonitor(monitor.key);

    const text = await registry.metrics();
    expect(text).not.toContain('monitor="bot"');
  });

  it('removes one monitor and keeps the others', async () => {
    const registry = new MetricsRegistry();
    const metrics = createMetrics(registry, { genAiMetrics: true });
    const recorder = new MetricsRecorder(metrics);
    const bot = buildMonitor({}, 'bot');
    const other = buildMonitor({}, 'other');
    for (const monitor of [bot, other]) {
      recorder.recordRun(await runMonitor(monitor, { providers: new Map([['primary', new ScriptedProvider(['Paris', { fail: FailureReason.RateLimited }])]]) }));
      recorder.recordSkipped(monitor.namespace, monitor.name, monitor.key);
    }
    recorder.recordNotStarted(bot.namespace, bot.name, bot.key, RunNotStartedReason.SecretNotFound);
    metrics.feedback.inc({ namespace: bot.namespace, monitor: bot.name, target: 'primary', rating: 'negative' });

    recorder.removeMonitor(bot.key);

    const text = await registry.metrics();
    expect(text).not.toContain('monitor="bot"');
    expect(text).toContain('llm_monitor_runs_skipped_total{namespace="team-a",monitor="other"} 1');
    expect(text).toContain('llm_monitor_probe_success{namespace="team-a",monitor="other",target="primary",model="gpt-4o",probe="capital"} 0');
    expect(text).toContain('gen_ai_client_operation_duration_seconds_count{namespace="team-a",monitor="other"');
  });
});
