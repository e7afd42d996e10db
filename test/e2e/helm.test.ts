import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { logLevels } from '../../src/cli/context.js';
import { durationPattern } from '../../src/util/duration.js';
import { chartPath, helm, helmTemplate, objectId, parseObjects, renderChart, writeValuesFile, type RenderedObject } from './helpers/helm.js';
import { kubectl, kubectlOk } from './helpers/kube.js';
import { repositoryRoot } from './setup/binaries.js';
import { installCrds } from './setup/crds.js';

const release = 'helm-e2e';
const namespace = 'helm-e2e';
const watched = ['helm-e2e-team-a', 'helm-e2e-team-b'];
const restricted = 'helm-e2e-restricted';

interface ValueSet {
  name: string;
  values: Record<string, unknown>;
  /** Checks on the rendered objects beyond "the API server accepts them". */
  expectObjects: (objects: RenderedObject[]) => void;
}

function find(objects: RenderedObject[], kind: string): RenderedObject[] {
  return objects.filter((object) => object.kind === kind);
}

function deploymentOf(objects: RenderedObject[]): { spec: { replicas: number; template: { spec: PodSpec } } } {
  const [deployment] = find(objects, 'Deployment');
  if (deployment === undefined) throw new Error('the chart rendered no Deployment');
  return deployment as unknown as { spec: { replicas: number; template: { spec: PodSpec } } };
}

interface PodSpec {
  containers: { args: string[]; env: { name: string; value?: string }[] }[];
  [field: string]: unknown;
}

const valueSets: ValueSet[] = [
  {
    name: 'default values',
    values: {},
    expectObjects: (objects) => {
      expect(find(objects, 'ClusterRole')).toHaveLength(1);
      expect(find(objects, 'ClusterRoleBinding')).toHaveLength(1);
      expect(find(objects, 'Role').map(objectId)).toEqual([`Role/${namespace}/${release}-llm-monitor-leader-election`]);
      expect(deploymentOf(objects).spec.replicas).toBe(1);
      expect(find(objects, 'ServiceMonitor')).toEqual([]);
      expect(deploymentOf(objects).spec.template.spec.containers[0]?.args).not.toContain('--gen-ai-metrics');
      expect(deploymentOf(objects).spec.template.spec.containers[0]?.env).toContainEqual({ name: 'NODE_OPTIONS', value: '--max-old-space-size=384' });
    },
  },
  {
    name: "Node's default heap limit",
    values: { maxHeapMiB: null },
    expectObjects: (objects) => {
      const env = deploymentOf(objects).spec.template.spec.containers[0]?.env;
      expect(env?.map((variable) => variable.name)).toEqual(['POD_NAME', 'POD_NAMESPACE']);
    },
  },
  {
    name: 'GenAI histograms',
    values: { metrics: { genAiMetrics: true } },
    expectObjects: (objects) => {
      expect(deploymentOf(objects).spec.template.spec.containers[0]?.args).toContain('--gen-ai-metrics');
    },
  },
  {
    name: 'namespaced mode',
    values: { watchNamespaces: watched, labelSelector: 'team in (a,b)' },
    expectObjects: (objects) => {
      expect(find(objects, 'ClusterRole')).toEqual([]);
      expect(find(objects, 'RoleBinding').map((o) => o.metadata.namespace).sort()).toEqual([namespace, ...watched].sort());
      const args = deploymentOf(objects).spec.template.spec.containers[0]?.args;
      expect(args).toEqual(expect.arrayContaining(['--namespace=helm-e2e-team-a', '--namespace=helm-e2e-team-b', '--label-selector=team in (a,b)']));
    },
  },
  {
    name: 'two replicas',
    values: {
      replicas: 2,
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/instance': release } } },
      ],
    },
    expectObjects: (objects) => {
      expect(deploymentOf(objects).spec.replicas).toBe(2);
    },
  },
  {
    name: 'ServiceMonitor, alert rules and dashboards',
    values: {
      serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
      prometheusRule: { enabled: true, labels: { release: 'kube-prometheus-stack' }, alertLabels: { team: 'platform' } },
      dashboards: { enabled: true, annotations: { grafana_folder: 'LLMs' } },
      ruleLabels: { release: 'kube-prometheus-stack' },
    },
    expectObjects: (objects) => {
      const [serviceMonitor] = find(objects, 'ServiceMonitor') as unknown as { spec: { endpoints: { honorLabels: boolean; port: string }[] } }[];
      expect(serviceMonitor?.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', honorLabels: true })]);
      expect(find(objects, 'PrometheusRule')).toHaveLength(1);
      const [dashboards] = find(objects, 'ConfigMap');
      expect(dashboards?.metadata.labels?.grafana_dashboard).toBe('1');
      expect(deploymentOf(objects).spec.template.spec.containers[0]?.args).toContain('--rule-label=release=kube-prometheus-stack');
    },
  },
  {
    name: 'NetworkPolicy',
    values: {
      networkPolicy: {
        enabled: true,
        metricsFrom: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] }],
      },
    },
    expectObjects: (objects) => {
      const [policy] = find(objects, 'NetworkPolicy') as unknown as { spec: { policyTypes: string[] } }[];
      expect(policy?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    },
  },
  {
    name: 'feedback from a Secret',
    values: {
      feedback: { enabled: true, port: 9470, servicePort: 8080, tokenSecret: { name: 'llm-monitor-feedback', key: 'bearer' } },
      networkPolicy: { enabled: true, feedbackFrom: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] },
    },
    expectObjects: (objects) => {
      const pod = deploymentOf(objects).spec.template.spec as unknown as {
        containers: { args: string[]; ports: { name: string; containerPort: number }[]; env: { name: string }[]; volumeMounts: { name: string; mountPath: string }[] }[];
        volumes: { name: string; secret?: { secretName: string; items: { key: string; path: string }[] } }[];
      };
      const container = pod.containers[0];
      expect(container?.args).toEqual(expect.arrayContaining(['--feedback-token-file=/etc/llm-monitor/feedback/bearer', '--feedback-port=9470']));
      expect(container?.ports).toContainEqual(expect.objectContaining({ name: 'feedback', containerPort: 9470 }));
      expect(container?.volumeMounts).toContainEqual(expect.objectContaining({ name: 'feedback-token', mountPath: '/etc/llm-monitor/feedback' }));
      expect(container?.env.map((variable) => variable.name)).toEqual(['POD_NAME', 'POD_NAMESPACE', 'NODE_OPTIONS']);
      expect(pod.volumes).toContainEqual({ name: 'feedback-token', secret: { secretName: 'llm-monitor-feedback', items: [{ key: 'bearer', path: 'bearer' }] } });
      const [service] = find(objects, 'Service') as unknown as { spec: { ports: { name: string; port: number; targetPort: string }[] } }[];
      expect(service?.spec.ports).toContainEqual(expect.objectContaining({ name: 'feedback', port: 8080, targetPort: 'feedback' }));
      const [policy] = find(objects, 'NetworkPolicy') as unknown as { spec: { ingress: { ports: { port: string }[] }[] } }[];
      expect(policy?.spec.ingress.map((rule) => rule.ports[0]?.port)).toEqual(['metrics', 'feedback']);
    },
  },
];

/** Applies a manifest with --dry-run=server: the API server validates every object, admission included, and stores nothing. */
async function dryRunApply(manifest: string) {
  return kubectl(['apply', '--dry-run=server', '-o', 'name', '-f', '-'], manifest);
}

beforeAll(async () => {
  // The Prometheus Operator's CRDs, so that the API server validates the ServiceMonitor and PrometheusRule.
  await installCrds((args) => kubectl(args), [join(repositoryRoot(), 'test', 'fixtures', 'crds')], 60_000);
  for (const name of [namespace, ...watched]) await kubectl(['create', 'namespace', name]);
  await kubectl(['create', 'namespace', restricted]);
  await kubectlOk(['label', '--overwrite', 'namespace', restricted, 'pod-security.kubernetes.io/enforce=restricted']);
});

describe('Helm chart', () => {
  it.each(valueSets)('passes helm lint with $name', async ({ values }) => {
    const valuesFile = await writeValuesFile(values);

    const result = await helm(['lint', '--strict', chartPath, '--namespace', namespace, '--values', valuesFile]);

    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it.each(valueSets)('renders manifests the API server accepts with $name', async ({ values, expectObjects }) => {
    const manifest = await renderChart(release, namespace, values);
    const objects = parseObjects(manifest);

    const result = await dryRunApply(manifest);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(objects.length);
    expectObjects(objects);
  });

  it.each([
    { values: { replicas: 'two' }, message: "at '/replicas': got string, want integer" },
    { values: { replicsa: 2 }, message: "additional properties 'replicsa' not allowed" },
    { values: { serviceMonitor: { enabled: 'yes' } }, message: "at '/serviceMonitor/enabled': got string, want boolean" },
    { values: { metrics: { genAiMetrics: 'true' } }, message: "at '/metrics/genAiMetrics': got string, want boolean" },
    { values: { maxHeapMiB: 'big' }, message: "at '/maxHeapMiB': got string, want null or integer" },
    { values: { maxHeapMiB: 32 }, message: "at '/maxHeapMiB': minimum: got 32, want 64" },
    { values: { watchNamespaces: 'team-a' }, message: "at '/watchNamespaces': got string, want array" },
    { values: { leaderElection: { leaseDuration: '15 seconds' } }, message: "at '/leaderElection/leaseDuration': '15 seconds' does not match pattern" },
    { values: { feedback: { enabled: true } }, message: "at '/feedback/tokenSecret/name': minLength: got 0, want 1" },
  ])('rejects $values through the values schema', async ({ values, message }) => {
    const result = await helmTemplate(release, namespace, values);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema(s)");
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('rejects NODE_OPTIONS in extraEnv beside maxHeapMiB', async () => {
    const result = await helmTemplate(release, namespace, { extraEnv: [{ name: 'NODE_OPTIONS', value: '--inspect' }] });

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('extraEnv sets NODE_OPTIONS, which would replace the --max-old-space-size that maxHeapMiB sets');
    expect(result.stdout).toBe('');
  });

  it('passes NODE_OPTIONS from extraEnv when maxHeapMiB is null', async () => {
    const result = await helmTemplate(release, namespace, { maxHeapMiB: null, extraEnv: [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=900' }] });

    expect(result.code).toBe(0);
    expect(result.stdout.match(/name: NODE_OPTIONS/g)).toHaveLength(1);
    expect(result.stdout).toContain('value: --max-old-space-size=900');
  });

  it('schema accepts the durations and log levels the CLI accepts', async () => {
    const schema = JSON.parse(await readFile(join(chartPath, 'values.schema.json'), 'utf8')) as {
      properties: { logLevel: { enum: string[] }; leaderElection: { properties: Record<string, { pattern: string }> } };
    };

    expect(schema.properties.logLevel.enum).toEqual(logLevels);
    for (const field of Object.values(schema.properties.leaderElection.properties)) expect(field.pattern).toBe(durationPattern);
  });

  it.each([
    { name: 'chart defaults', values: {}, admitted: true },
    { name: 'privilege escalation allowed', values: { securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] } } }, admitted: false },
  ])('Pods with $name meet the restricted Pod Security Standard: $admitted', async ({ values, admitted }) => {
    const objects = parseObjects(await renderChart(release, restricted, values));
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'operator', namespace: restricted }, spec: deploymentOf(objects).spec.template.spec };

    const result = await kubectl(['create', '--dry-run=server', '-f', '-'], JSON.stringify(pod));

    if (admitted) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } else {
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false');
    }
  });

  it('runs the operator as a non-root user with probes on /healthz and /readyz', async () => {
    const spec = deploymentOf(parseObjects(await renderChart(release, namespace))).spec.template.spec as unknown as {
      securityContext: Record<string, unknown>;
      containers: { securityContext: Record<string, unknown>; livenessProbe: unknown; readinessProbe: unknown; env: { name: string }[] }[];
    };
    const container = spec.containers[0];

    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container?.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container?.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'metrics' } });
    expect(container?.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'metrics' } });
    expect(container?.env.map((variable) => variable.name)).toEqual(['POD_NAME', 'POD_NAMESPACE', 'NODE_OPTIONS']);
  });

  it('ships the CRD that deploy/crds has', async () => {
    const file = 'llmmonitor.dev_llmmonitors.yaml';

    const copy = await readFile(join(chartPath, 'crds', file), 'utf8');

    expect(copy).toBe(await readFile(join(repositoryRoot(), 'deploy', 'crds', file), 'utf8'));
  });
});
