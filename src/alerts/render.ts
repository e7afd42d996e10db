/**
 * YAML output of the generated rules: PrometheusRule documents, or a plain
 * Prometheus rule file (`groups:`) that promtool and Prometheus read.
 * Label and annotation values are always double-quoted, because a value such
 * as "{{ $labels.target }} ..." would otherwise start a YAML flow mapping,
 * and "yes" or "1.0" would stop being a string for some YAML readers.
 * Expressions are literal blocks, so their line breaks survive.
 */
import { Document, isMap, isPair, isScalar, Scalar, visit } from 'yaml';
import type { PrometheusRule } from './prometheus-rule.js';
import type { RuleGroup } from './rule-group.js';

/** Several PrometheusRule objects as one multi-document YAML stream. */
export function renderPrometheusRules(rules: readonly PrometheusRule[]): string {
  return rules.map((rule) => renderYaml(rule)).join('---\n');
}

/** Rule groups in Prometheus' rule file format. */
export function renderRuleFile(groups: readonly RuleGroup[]): string {
  return renderYaml({ groups });
}

function renderYaml(value: unknown): string {
  // Without aliasDuplicateObjects: false, rules sharing one labels object would print as YAML anchors and aliases.
  const document = new Document(value, { aliasDuplicateObjects: false });
  visit(document, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key)) return;
      const key = pair.key.value;
      if ((key === 'labels' || key === 'annotations') && isMap(pair.value)) {
        for (const item of pair.value.items) if (isScalar(item.value)) item.value.type = Scalar.QUOTE_DOUBLE;
      }
      if (key === 'expr' && isScalar(pair.value)) pair.value.type = Scalar.BLOCK_LITERAL;
    },
  });
  return document.toString({ lineWidth: 0 });
}
