/**
 * Metrics about the operator itself, as opposed to the models it probes:
 * reconciles, status writes, watch restarts and leadership. The Helm chart's
 * alerts on the operator's own health use these.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export function createOperatorMetrics(registry: Registry) {
  const registers = [registry];
  return {
    reconciles: new Counter({
      name: 'llm_monitor_operator_reconciles_total',
      help: 'Reconciles of LLMMonitor resources by result: success or error.',
      labelNames: ['result'],
      registers,
    }),
    statusWrites: new Counter({
      name: 'llm_monitor_operator_status_writes_total',
      help: 'Status updates sent to the API server.',
      registers,
    }),
    watchRestarts: new Counter({
      name: 'llm_monitor_operator_watch_restarts_total',
      help: 'Watches restarted, by resource and reason (Error, Closed, Gone, Silent).',
      labelNames: ['resource', 'reason'],
      registers,
    }),
    leader: new Gauge({
      name: 'llm_monitor_operator_leader',
      help: 'Whether this replica holds the leader lease (1) and runs probes, or is a standby (0).',
      registers,
    }),
  };
}

export type OperatorMetrics = ReturnType<typeof createOperatorMetrics>;
