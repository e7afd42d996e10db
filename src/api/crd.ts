/**
 * Builds the CustomResourceDefinition of LLMMonitor from the schema in
 * schema.ts. deploy/crds/llmmonitor.dev_llmmonitors.yaml is this function's
 * output; a test fails when the committed file differs.
 */
import { stringify } from 'yaml';
import { patternMessages } from './pattern-messages.js';
import type { JSONSchema } from './schema-helpers.js';
import { specSchema, statusSchema } from './schema.js';
import { group, kind, plural, version } from './types.js';

/**
 * Adapts the schema to a CRD: drops `additionalProperties: false`, because
 * Kubernetes prunes unknown fields instead, and turns each string pattern
 * that has a message into a CEL rule with that message, so `kubectl apply`
 * explains the expected form instead of printing the regular expression.
 */
function toStructural(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toStructural);
  if (typeof node !== 'object' || node === null) return node;
  const out: JSONSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = toStructural(value);
  }
  const message = typeof out.pattern === 'string' && out.type === 'string' ? patternMessages.get(out.pattern) : undefined;
  if (message !== undefined) {
    const existing = (out['x-kubernetes-validations'] as unknown[] | undefined) ?? [];
    // CEL raw strings take the pattern unchanged; RE2, which CEL uses, accepts these patterns.
    out['x-kubernetes-validations'] = [...existing, { rule: `self.matches(r'${String(out.pattern)}')`, message }];
    delete out.pattern;
  }
  return out;
}

export function buildCrd(): JSONSchema {
  const condition = (type: string): string => `.status.conditions[?(@.type=="${type}")].status`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: {
        kind,
        listKind: `${kind}List`,
        plural,
        singular: kind.toLowerCase(),
        shortNames: ['llmmon'],
        categories: ['llm', 'monitoring'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Ready', type: 'string', jsonPath: condition('Ready') },
            { name: 'Healthy', type: 'string', jsonPath: condition('Healthy') },
            { name: 'Pass Rate', type: 'string', jsonPath: '.status.passRate' },
            { name: 'P95', type: 'string', jsonPath: '.status.latencyP95' },
            { name: 'Errors', type: 'string', jsonPath: '.status.errorRate', priority: 1 },
            { name: 'Last Run', type: 'date', jsonPath: '.status.lastRunTime' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: toStructural({
              type: 'object',
              description: 'LLMMonitor probes LLMs on a schedule with prompts and checks their answers, latency and errors.',
              properties: {
                apiVersion: { type: 'string', description: 'Versioned schema of this object: llmmonitor.dev/v1alpha1.' },
                kind: { type: 'string', description: 'Kind of this object: LLMMonitor.' },
                metadata: { type: 'object' },
                spec: specSchema,
                status: statusSchema,
              },
              required: ['spec'],
            }),
          },
        },
      ],
    },
  };
}

/** Renders the CRD as the YAML committed in deploy/crds. */
export function crdYaml(): string {
  return '# Generated from src/api/schema.ts by `npm run generate`. Do not edit.\n' + stringify(buildCrd(), { lineWidth: 0 });
}
