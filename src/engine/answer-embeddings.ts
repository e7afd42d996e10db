/** Embeds the answers of a run for embedding drift, one request per target and probe. */
import type { ResolvedMonitor } from '../api/defaults.js';
import type { Logger } from '../logging.js';
import type { EmbeddingResolver } from './embedding-resolver.js';
import type { RunResult } from './result.js';

/**
 * Returns the embeddings of the answered samples' excerpts by `target/probe`.
 * A probe whose request fails is left out and logged, so that its drift is
 * measured without embeddings this run.
 *
 * NOTE: these requests are not yet counted in llm_monitor_assertion_requests_total.
 */
export async function embedAnswers(monitor: ResolvedMonitor, run: RunResult, resolver: EmbeddingResolver, log: Logger): Promise<Map<string, number[][]>> {
  const vectors = new Map<string, number[][]>();
  const spec = monitor.drift?.embedding;
  if (spec === undefined || run.canceled) return vectors;

  for (const target of run.targets) {
    const resolvedTarget = monitor.targets.find((t) => t.name === target.target);
    if (resolvedTarget === undefined) continue;
    for (const probe of target.probes) {
      const texts = probe.samples.flatMap((s) => (s.error === undefined && (s.answerExcerpt ?? '') !== '' ? [s.answerExcerpt ?? ''] : []));
      if (texts.length === 0) continue;
      try {
        const endpoint = await resolver(monitor.namespace, resolvedTarget, spec);
        const response = await endpoint.client.embed({ model: endpoint.model, inputs: texts, timeoutMs: endpoint.timeoutMs });
        vectors.set(`${target.target}/${probe.probe}`, response.vectors);
      } catch (error) {
        log.warn({ target: target.target, probe: probe.probe, err_message: (error as Error).message }, 'answers could not be embedded for drift');
      }
    }
  }
  return vectors;
}
