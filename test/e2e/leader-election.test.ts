import { isIP, createServer, connect, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiException, CoordinationV1Api, KubeConfig, V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { LeaderElector, type LeaderElectionOptions } from '../../src/operator/leader-election.js';

const kubeconfigPath = inject('kubeconfigPath');
const namespace = 'default';

/** Short durations so that each case takes seconds; the ratios are those of the defaults. */
const timing = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 };
/** Maximum wait of a candidate between attempts: the retry period plus the elector's jitter of up to 20 %. */
const candidateWaitMs = timing.retryPeriodMs * 1.2;
/** Time that API requests and timers may add to a bound on a loaded two-core machine; an estimate. */
const slackMs = 500;

const api = loadKubeConfig().makeApiClient(CoordinationV1Api);

function loadKubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  return config;
}

/** Random suffix so that cases and reruns against a kept cluster never share a Lease. */
function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/** What one replica's callbacks and logger received. */
interface CandidateState {
  /** Ticks of the stand-in probe loop, which runs only while leading. */
  probeTicks: number;
  starts: number;
  stops: number;
  signals: AbortSignal[];
  stoppedAt: number | undefined;
  logLines: Record<string, unknown>[];
}

/** One replica: its elector, the work it runs while leading, and its recorded state. */
interface Candidate extends CandidateState {
  identity: string;
  elector: LeaderElector;
}

/** Counts the candidates between onStartedLeading and onStoppedLeading, across all candidates. */
const leading = { now: 0, max: 0 };
const candidates: Candidate[] = [];
const leaseNames: string[] = [];

function newLease(): string {
  const name = uniqueName('leader-election');
  leaseNames.push(name);
  return name;
}

function newCandidate(lease: string, identity: string, overrides: Partial<LeaderElectionOptions> = {}): Candidate {
  const logLines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) });
  const state: CandidateState = { probeTicks: 0, starts: 0, stops: 0, signals: [], stoppedAt: undefined, logLines };
  const elector = new LeaderElector({
    kubeConfig: loadKubeConfig(),
    namespace,
    name: lease,
    identity,
    ...timing,
    logger,
    onStartedLeading: (signal) => {
      state.starts += 1;
      state.signals.push(signal);
      leading.now += 1;
      leading.max = Math.max(leading.max, leading.now);
      runProbeLoop(state, signal);
    },
    onStoppedLeading: () => {
      state.stops += 1;
      state.stoppedAt = performance.now();
      leading.now -= 1;
    },
    ...overrides,
  });
  const candidate: Candidate = Object.assign(state, { identity, elector });
  candidates.push(candidate);
  return candidate;
}

/** Stands in for the operator's probes: ticks every 50 ms until the signal aborts. */
function runProbeLoop(candidate: CandidateState, signal: AbortSignal): void {
  const timer = setInterval(() => (candidate.probeTicks += 1), 50);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

/** Polls every 20 ms until the condition holds; returns the milliseconds it took. */
async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(20);
  }
  return performance.now() - start;
}

async function readLease(name: string): Promise<V1Lease> {
  return api.readNamespacedLease({ namespace, name });
}

/** Writes another holder into the Lease, retrying on conflicts with the elector's renews; returns when it was written. */
async function takeOverLease(name: string, holder: string): Promise<number> {
  for (;;) {
    const lease = await readLease(name);
    const now = new V1MicroTime();
    const spec = lease.spec ?? {};
    const body = { ...lease, spec: { ...spec, holderIdentity: holder, acquireTime: now, renewTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 } };
    try {
      await api.replaceNamespacedLease({ namespace, name, body });
      return performance.now();
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 409)) throw error;
    }
  }
}

afterEach(async () => {
  await Promise.all(candidates.splice(0).map((candidate) => candidate.elector.stop()));
  leading.now = 0;
  leading.max = 0;
  for (const name of leaseNames.splice(0)) {
    await api.deleteNamespacedLease({ namespace, name }).catch(() => undefined);
  }
});

describe('leader election on a real API server', () => {
  it('two electors never lead at once', async () => {
    const lease = newLease();
    const first = newCandidate(lease, 'replica-a');
    const second = newCandidate(lease, 'replica-b');
    first.elector.start();
    second.elector.start();
    await waitFor(() => first.elector.isLeader || second.elector.isLeader, candidateWaitMs * 2 + slackMs, 'one elector leads');
    const [leader, follower] = first.elector.isLeader ? [first, second] : [second, first];
    await waitFor(() => follower.elector.leader === leader.identity, candidateWaitMs + slackMs, 'the follower observes the leader');

    const leaderCounts: number[] = [];
    const probingCounts: number[] = [];
    for (let sample = 0; sample < 40; sample++) {
      leaderCounts.push([first, second].filter((c) => c.elector.isLeader).length);
      probingCounts.push([first, second].filter((c) => c.signals.some((s) => !s.aborted)).length);
      await sleep(100);
    }
    const stored = await readLease(lease);

    expect(Math.max(...leaderCounts)).toBe(1);
    expect(Math.min(...leaderCounts)).toBe(1);
    expect(Math.max(...probingCounts)).toBe(1);
    expect(leading.max).toBe(1);
    expect(leader.starts).toBe(1);
    expect(leader.stops).toBe(0);
    expect(follower.starts).toBe(0);
    expect(follower.probeTicks).toBe(0);
    expect(leader.probeTicks).toBeGreaterThan(0);
    expect(stored.spec?.holderIdentity).toBe(leader.identity);
    expect(stored.spec?.leaseDurationSeconds).toBe(3);
    expect(stored.spec?.leaseTransitions).toBe(0);
  });

  it('leader logs state changes without whole objects', async () => {
    const lease = newLease();
    const candidate = newCandidate(lease, 'replica-logs');
    candidate.elector.start();
    await waitFor(() => candidate.elector.isLeader, candidateWaitMs + slackMs, 'the elector leads');
    await sleep(timing.retryPeriodMs * 2 + slackMs);

    await candidate.elector.stop();

    const messages = candidate.logLines.map((line) => line.msg);
    expect(messages).toContain('acquired leader lease');
    expect(messages).toContain('renewed leader lease');
    expect(messages).toContain('stopped leading');
    expect(messages).toContain('released leader lease');
    const acquired = candidate.logLines.find((line) => line.msg === 'acquired leader lease');
    expect(acquired).toMatchObject({ level: 30, lease: `${namespace}/${lease}`, identity: 'replica-logs' });
    const serialized = JSON.stringify(candidate.logLines);
    expect(serialized).not.toContain('resourceVersion');
    expect(serialized).not.toContain('managedFields');
  });

  it('stop releases the lease to the standby within a retry period', async () => {
    const lease = newLease();
    const leader = newCandidate(lease, 'replica-a');
    leader.elector.start();
    await waitFor(() => leader.elector.isLeader, candidateWaitMs + slackMs, 'the first elector leads');
    const standby = newCandidate(lease, 'replica-b');
    standby.elector.start();
    await waitFor(() => standby.elector.leader === leader.identity, candidateWaitMs + slackMs, 'the standby observes the leader');
    expect(standby.elector.isLeader).toBe(false);

    await leader.elector.stop();
    const takeoverMs = await waitFor(() => standby.elector.isLeader, 10_000, 'the standby leads');
    console.log(`takeover after release: ${takeoverMs.toFixed(0)} ms (bound ${candidateWaitMs + slackMs} ms)`);
    const stored = await readLease(lease);

    expect(takeoverMs).toBeLessThanOrEqual(candidateWaitMs + slackMs);
    expect(leader.elector.isLeader).toBe(false);
    expect(leader.stops).toBe(1);
    expect(leader.signals[0]?.aborted).toBe(true);
    expect(leading.max).toBe(1);
    expect(stored.spec?.holderIdentity).toBe(standby.identity);
    expect(stored.spec?.leaseDurationSeconds).toBe(3);
    expect(stored.spec?.leaseTransitions).toBe(1);
  });

  it('dead leader is replaced after the lease expires', async () => {
    const lease = newLease();
    const leader = newCandidate(lease, 'replica-a', { releaseOnStop: false });
    leader.elector.start();
    await waitFor(() => leader.elector.isLeader, candidateWaitMs + slackMs, 'the first elector leads');
    const standby = newCandidate(lease, 'replica-b');
    standby.elector.start();
    await waitFor(() => standby.elector.leader === leader.identity, candidateWaitMs + slackMs, 'the standby observes the leader');
    expect(standby.elector.isLeader).toBe(false);

    // Without a release the Lease stays with the stopped elector, as after a crash.
    await leader.elector.stop();
    const upperBoundMs = timing.leaseDurationMs + candidateWaitMs + slackMs;
    const takeoverMs = await waitFor(() => standby.elector.isLeader, upperBoundMs + 5000, 'the standby leads');
    console.log(`takeover after leader death: ${takeoverMs.toFixed(0)} ms (bounds ${timing.leaseDurationMs - timing.retryPeriodMs}..${upperBoundMs} ms)`);
    const stored = await readLease(lease);

    expect(takeoverMs).toBeLessThanOrEqual(upperBoundMs);
    // The last renew was at most one retry period before the stop, so the
    // standby must not take over earlier than a lease duration after it.
    expect(takeoverMs).toBeGreaterThanOrEqual(timing.leaseDurationMs - timing.retryPeriodMs);
    expect(stored.spec?.holderIdentity).toBe(standby.identity);
    expect(stored.spec?.leaseTransitions).toBe(1);
  });

  it('leader stops at once when its lease is taken over', async () => {
    const lease = newLease();
    const leader = newCandidate(lease, 'replica-a');
    leader.elector.start();
    await waitFor(() => leader.elector.isLeader, candidateWaitMs + slackMs, 'the elector leads');

    const writtenAt = await takeOverLease(lease, 'intruder');
    await waitFor(() => leader.stops === 1, timing.renewDeadlineMs + slackMs, 'the leader stops leading');
    const stopMs = (leader.stoppedAt ?? Number.NaN) - writtenAt;
    console.log(`stopped leading after takeover: ${stopMs.toFixed(0)} ms (bound ${timing.retryPeriodMs + slackMs} ms)`);

    expect(stopMs).toBeLessThanOrEqual(timing.retryPeriodMs + slackMs);
    expect(leader.signals[0]?.aborted).toBe(true);
    expect(leader.elector.isLeader).toBe(false);
    expect(leader.elector.leader).toBe('intruder');
    const ticksAtStop = leader.probeTicks;

    // The intruder's Lease is valid for a lease duration from when the
    // elector saw it, so the elector must stay a candidate until then.
    await sleep(timing.leaseDurationMs - timing.retryPeriodMs - slackMs - (performance.now() - writtenAt));
    expect(leader.elector.isLeader).toBe(false);
    expect(leader.probeTicks).toBe(ticksAtStop);

    // The intruder never renews, so the elector takes the Lease back.
    await waitFor(() => leader.elector.isLeader, timing.leaseDurationMs + candidateWaitMs + slackMs, 'the elector leads again');
    expect(leader.starts).toBe(2);
    expect((await readLease(lease)).spec?.leaseTransitions).toBe(2);
  });

  it.each(['refused', 'unresponsive'] as const)('leader stops after the renew deadline when %s', async (failure) => {
    const lease = newLease();
    const proxy = await TcpProxy.start(new URL(loadKubeConfig().getCurrentCluster()?.server ?? ''));
    try {
      const leader = newCandidate(lease, 'replica-a', { kubeConfig: kubeConfigVia(proxy.url) });
      leader.elector.start();
      await waitFor(() => leader.elector.isLeader, candidateWaitMs + slackMs, 'the elector leads');
      await sleep(timing.retryPeriodMs * 2);

      const cutAt = performance.now();
      await proxy.cut(failure);
      await waitFor(() => leader.stops === 1, timing.renewDeadlineMs + timing.retryPeriodMs + slackMs, 'the leader stops leading');
      const stopMs = (leader.stoppedAt ?? Number.NaN) - cutAt;
      console.log(`stopped leading after the API server was ${failure}: ${stopMs.toFixed(0)} ms (bounds ${timing.renewDeadlineMs - timing.retryPeriodMs - slackMs}..${timing.renewDeadlineMs + timing.retryPeriodMs} ms)`);

      expect(stopMs).toBeLessThanOrEqual(timing.renewDeadlineMs + timing.retryPeriodMs);
      // The deadline counts from the start of the last successful renew, at
      // most one retry period and one request before the cut.
      expect(stopMs).toBeGreaterThanOrEqual(timing.renewDeadlineMs - timing.retryPeriodMs - slackMs);
      expect(leader.signals[0]?.aborted).toBe(true);
      expect(leader.elector.isLeader).toBe(false);
      const warnings = leader.logLines.filter((line) => line.msg === 'lease request failed' && line.level === 40);
      // Only the first of every ten consecutive failures is a warning.
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 40, operation: 'read', consecutive_failures: 1 });
    } finally {
      await proxy.close();
    }
  });
});

/** Copies the shared kubeconfig with its server replaced, keeping TLS verification against the original host name. */
function kubeConfigVia(server: string): KubeConfig {
  const base = loadKubeConfig();
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: base.clusters.map((cluster) => {
      const host = new URL(cluster.server).hostname;
      return isIP(host) === 0 ? { ...cluster, server, tlsServerName: cluster.tlsServerName ?? host } : { ...cluster, server };
    }),
    users: base.users,
    contexts: base.contexts,
    currentContext: base.currentContext,
  });
  return config;
}

/**
 * A TCP proxy on 127.0.0.1 in front of the API server, which a test can cut
 * so that the server rejects connections, or accepts them and never responds.
 */
class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private forwarding = true;

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: URL): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new TcpProxy(server, target);
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy is not listening');
    return `https://127.0.0.1:${address.port}`;
  }

  /** Drops every connection, then either closes the port or keeps accepting connections that get no response. */
  async cut(failure: 'refused' | 'unresponsive'): Promise<void> {
    this.forwarding = false;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (failure === 'refused') await this.closeListener();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await this.closeListener();
  }

  private accept(client: Socket): void {
    this.track(client);
    if (!this.forwarding) return;

    const upstream = connect(Number(this.target.port || 443), this.target.hostname);
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private closeListener(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
