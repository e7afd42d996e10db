/**
 * Builds the CustomResourceDefinition of LLMMonitor from the schema in
 * schema.ts. deploy/crds/llmmonitor.dev_llmmonitors.yaml is this function's
 * output; a test fails when the committed file differs.
 */
import { stringify } from 'yaml';
import type { JSONSchema } from './schema-helpers.js';
import { specSchema, statusSchema } from './schema.js';
import { group, kind, plural, version } from './types.js';

/** Removes what a CRD schema may not contain: Kubernetes prunes unknown fields instead of rejecting them. */
function toStructural(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toStructural);
  if (typeof node !== 'object' || node === null) return node;
  const out: JSONSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = toStructural(value);
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

/** The CRD as the YAML committed in deploy/crds. */
export function crdYaml(): string {
  return '# Generated from src/api/schema.ts by `npm run generate`. Do not edit.\n' + stringify(buildCrd(), { lineWidth: 0 });
}
