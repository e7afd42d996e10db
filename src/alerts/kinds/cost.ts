/**
 * Projected monthly spend above spec.budget.monthlyDollars, per monitor: the
 * mean cost of a run over the window (probe requests and the requests of
 * assertions, at the models' prices) times the runs planned in 30 days, the
 * projection that stops probing with Ready=False BudgetExceeded. Counting
 * with increase() over the window spans several runs and survives restarts
 * of llm-monitor; a window without runs gives no ratio instead of an alert.
 */
import type { AlertKind, AlertContext } from '../alert-kind.js';
import { binary, formatNumber, group, increaseInWindow, indent, monitorSelector } from '../promql.js';

export const costAlertName = 'LLMMonitorCostAboveBudget';
export const costMetric = 'llm_monitor_cost_dollars_total';
export const assertionCostMetric = 'llm_monitor_assertion_cost_dollars_total';
export const runsMetric = 'llm_monitor_runs_total';

export const costAlert: AlertKind = {
  rules(context) {
    const budget = context.monthlyBudgetDollars;
    if (budget === undefined) return [];

    const { namespace, monitor, window } = context;
    const runsPerMonth = formatNumber(context.runsPerMonth);
    return [
      {
        alert: costAlertName,
        expr: `${group(binary(spentInWindow(context), '/', runsInWindow(context)))}\n* ${runsPerMonth} > ${formatNumber(budget)}`,
        for: context.for,
        labels: context.labels,
        annotations: {
          summary: `LLMMonitor ${namespace}/${monitor}: projected monthly spend is above the budget of $${formatNumber(budget)}`,
          description:
            `Over the last ${window}, the runs of LLMMonitor ${namespace}/${monitor} cost on average {{ $value | printf "%.2f" }} US dollars per 30 days ` +
            `at ${runsPerMonth} runs in 30 days (${context.scheduleText}), above the budget of $${formatNumber(budget)} (spec.budget.monthlyDollars). ` +
            'Probing stops with Ready=False and reason BudgetExceeded until the spec changes. ' +
            `${costMetric} and ${assertionCostMetric} count the dollars by target.`,
          runbook_url: context.runbookURL,
        },
      },
    ];
  },
};

/** Dollars of probe requests and of the requests of assertions. Either series may be absent, so they are joined with or, not added. */
function spentInWindow(context: AlertContext): string {
  const selector = monitorSelector(context.namespace, context.monitor);
  const probes = group(increaseInWindow(costMetric, selector, context.window));
  const assertions = group(increaseInWindow(assertionCostMetric, selector, context.window));
  return `sum(\n${indent(`${probes}\nor\n${assertions}`, 2)}\n)`;
}

function runsInWindow(context: AlertContext): string {
  return `sum(\n${indent(increaseInWindow(runsMetric, monitorSelector(context.namespace, context.monitor), context.window), 2)}\n)`;
}
