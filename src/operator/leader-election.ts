/**
 * Leader election over a coordination.k8s.io/v1 Lease, with the semantics of
 * client-go's leaderelection package (k8s.io/client-go/tools/leaderelection):
 *
 * - A candidate takes the Lease when it does not exist, when its
 *   holderIdentity is empty, or when leaseDurationSeconds have passed since
 *   the candidate last saw the Lease change. Expiry is measured on the
 *   candidate's own clock from that observation, never from the renewTime
 *   written by another host, so clock offsets between replicas do not matter.
 * - Every write carries the resourceVersion that was read, so of two
 *   candidates racing for the same Lease one gets 409 Conflict and loses.
 * - The leader renews every retryPeriod. It stops leading when no renew has
 *   succeeded for renewDeadline, or at once when it reads another holder in
 *   the Lease. The deadline counts from the start of the last successful
 *   renew, so the leader stops before any standby can see the Lease expire.
 * - stop() releases a held Lease (holderIdentity empty, leaseDurationSeconds
 *   1), as client-go does with ReleaseOnCancel, so a standby takes over
 *   within one retry period instead of one lease duration.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiException,
  CoordinationV1Api,
  Observable,
  V1MicroTime,
  type ConfigurationOptions,
  type KubeConfig,
  type ObservableMiddleware,
  type V1Lease,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  /** Namespace of the Lease. */
  namespace: string;
  /** Name of the Lease; every replica of one operator uses the same. */
  name: string;
  /** Unique per replica; written into the Lease as holderIdentity. See defaultIdentity. */
  identity: string;
  /**
   * How long standbys wait after they last saw the Lease change before they
   * take it over, in whole seconds as milliseconds. Default 15 000.
   */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying failed renews before it stops leading, in milliseconds. Default 10 000. */
  renewDeadlineMs?: number;
  /** Wait between attempts to acquire or renew the Lease, in milliseconds. Default 2 000. */
  retryPeriodMs?: number;
  /**
   * Whether stop() releases a held Lease so that a standby takes over at
   * once. Default true; false leaves the Lease to expire, as after a crash.
   */
  releaseOnStop?: boolean;
  logger: Logger;
  /** Called when this replica becomes leader; the signal aborts when leadership is lost or stop() is called. */
  onStartedLeading: (signal: AbortSignal) => void;
  /** Called when this replica stops leading, whatever the cause; never called for a replica that never led. */
  onStoppedLeading: () => void;
  /** Called with each new holder seen in the Lease, this replica included. */
  onNewLeader?: (identity: string) => void;
  /**
   * Clock for lease expiry and the renew deadline, in milliseconds. Only
   * differences count, so the default is the monotonic performance.now().
   * Waits between attempts always use real timers.
   */
  now?: () => number;
}

interface Timing {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** Defaults of client-go's leaderelection package, also used by controller-runtime. */
const defaultTiming: Timing = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/**
 * Candidates wait retryPeriod × (1 + up to this fraction) between attempts,
 * so replicas started together do not poll in lock step. client-go uses 1.2;
 * the smaller value keeps takeover after a release within about one retry
 * period, and a few replicas polling one Lease cost the API server little.
 */
const candidateJitter = 0.2;

/** Reason a replica stopped leading, logged as the `reason` field. */
const StopReason = {
  RenewDeadlineExceeded: 'RenewDeadlineExceeded',
  LeaseTakenOver: 'LeaseTakenOver',
  Stopped: 'Stopped',
} as const;
type StopReason = (typeof StopReason)[keyof typeof StopReason];

/** Outcome of one attempt to acquire or renew. */
type Attempt = 'acquired' | 'heldByOther' | 'failed';

/** The Lease as this replica last read or wrote it. */
interface ObservedLease {
  lease: V1Lease;
  /** The leader election fields, serialized, to tell a change from a reread. */
  record: string;
  /** Empty when released. */
  holder: string;
  durationMs: number;
  /** now() when this record was first seen. */
  observedAt: number;
}

/**
 * Returns an identity for this replica: POD_NAME (set from the downward API)
 * or else the hostname, plus a random suffix so that a restarted process
 * never mistakes the previous process's Lease for its own.
 */
export function defaultIdentity(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.POD_NAME !== undefined && env.POD_NAME !== '' ? env.POD_NAME : hostname();
  return `${base}_${randomBytes(4).toString('hex')}`;
}

/**
 * Runs leader election for one replica. start() runs the acquire and renew
 * loop in the background; stop() ends it. An elector runs once: create a new
 * one to take part again after stop().
 */
export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private readonly log: Logger;
  private readonly timing: Timing;
  private readonly now: () => number;
  private readonly releaseOnStop: boolean;
  private observed: ObservedLease | undefined;
  /** Failed lease requests since the last successful one; only every tenth is logged at warn. */
  private consecutiveFailures = 0;
  /** Defined while this replica leads; aborted when it stops. */
  private leadership: AbortController | undefined;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: LeaderElectionOptions) {
    this.timing = {
      leaseDurationMs: options.leaseDurationMs ?? defaultTiming.leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs ?? defaultTiming.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs ?? defaultTiming.retryPeriodMs,
    };
    validateOptions(options, this.timing);

    this.api = options.kubeConfig.makeApiClient(CoordinationV1Api);
    this.log = options.logger.child({ lease: `${options.namespace}/${options.name}`, identity: options.identity });
    this.now = options.now ?? (() => performance.now());
    this.releaseOnStop = options.releaseOnStop ?? true;
  }

  get isLeader(): boolean {
    return this.leadership !== undefined;
  }

  /** The holder last seen in the Lease; undefined before the first read and while the Lease is released. */
  get leader(): string | undefined {
    const holder = this.observed?.holder;
    return holder === '' ? undefined : holder;
  }

  /** Starts the acquire and renew loop in the background. */
  start(): void {
    if (this.loop !== undefined || this.stopping !== undefined) throw new Error('leader elector was already started: create a new LeaderElector');
    this.loop = this.run(this.stopController.signal).catch((error: unknown) => {
      this.log.error({ err: error }, 'leader election loop failed');
      this.stopLeading(StopReason.Stopped);
    });
  }

  /**
   * Stops the loop, aborting any request in flight. A leader then stops
   * leading (signal, then onStoppedLeading) before it releases the Lease, so
   * its work is signalled to stop before a standby can start. Resolves when
   * the release is done or has failed, within about renewDeadline; a failed
   * release is logged and the Lease then expires after leaseDuration.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.stopController.abort();
    await this.loop;
    this.stopLeading(StopReason.Stopped);

    // The last write may have made this replica the holder without it
    // leading yet, when stop() came during an acquire.
    if (this.releaseOnStop && this.observed?.holder === this.options.identity) await this.release();
  }

  private async run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      const acquiredAt = await this.acquire(stop);
      if (acquiredAt === undefined || stop.aborted) return;

      this.startLeading();
      await this.renewUntilLost(acquiredAt, stop);
    }
  }

  /** Tries until the Lease is acquired; returns when the successful attempt started, or undefined when stopped. */
  private async acquire(stop: AbortSignal): Promise<number | undefined> {
    while (!stop.aborted) {
      const startedAt = this.now();
      const attempt = await withTimeout(stop, this.timing.renewDeadlineMs, (signal) => this.tryAcquireOrRenew(signal));
      if (attempt === 'acquired') return startedAt;
      await delay(this.candidateDelayMs(), stop);
    }
    return undefined;
  }

  /** Renews every retryPeriod until leadership is lost (and ended here) or the loop is stopped. */
  private async renewUntilLost(acquiredAt: number, stop: AbortSignal): Promise<void> {
    let renewedAt = acquiredAt;
    for (;;) {
      await delay(this.timing.retryPeriodMs, stop);
      if (stop.aborted) return;

      const outcome = await this.renew(renewedAt, stop);
      if (outcome === StopReason.Stopped) return;
      if (typeof outcome === 'string') {
        this.stopLeading(outcome);
        return;
      }
      renewedAt = outcome;
    }
  }

  /**
   * Retries one renew until it succeeds or the deadline passes. Returns when
   * the successful attempt started, or why leadership ended.
   */
  private async renew(renewedAt: number, stop: AbortSignal): Promise<number | StopReason> {
    const deadline = renewedAt + this.timing.renewDeadlineMs;
    for (;;) {
      const startedAt = this.now();
      const remainingMs = deadline - startedAt;
      if (remainingMs <= 0) return StopReason.RenewDeadlineExceeded;

      // The request may not outlive the deadline: a hung API server must not
      // keep this replica leading after standbys may have taken over.
      const attempt = await withTimeout(stop, remainingMs, (signal) => this.tryAcquireOrRenew(signal));
      if (stop.aborted) return StopReason.Stopped;
      if (attempt === 'heldByOther') return StopReason.LeaseTakenOver;
      if (attempt === 'acquired') {
        this.log.debug('renewed leader lease');
        return startedAt;
      }

      await delay(Math.min(this.timing.retryPeriodMs, deadline - this.now()), stop);
      if (stop.aborted) return StopReason.Stopped;
    }
  }

  /** Reads the Lease, then creates it, or updates it with the read resourceVersion unless another holder's Lease is still valid. */
  private async tryAcquireOrRenew(signal: AbortSignal): Promise<Attempt> {
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ namespace: this.options.namespace, name: this.options.name }, abortableBy(signal));
    } catch (error) {
      if (statusOf(error) === 404) {
        this.consecutiveFailures = 0;
        return this.create(signal);
      }
      this.logFailure('read', error);
      return 'failed';
    }

    this.observe(lease);
    if (this.isHeldByOther()) return 'heldByOther';

    return this.update(lease, signal);
  }

  private async create(signal: AbortSignal): Promise<Attempt> {
    const now = new V1MicroTime();
    const body: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { namespace: this.options.namespace, name: this.options.name },
      spec: {
        holderIdentity: this.options.identity,
        leaseDurationSeconds: this.timing.leaseDurationMs / 1000,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: 0,
      },
    };
    try {
      this.observe(await this.api.createNamespacedLease({ namespace: this.options.namespace, body }, abortableBy(signal)));
      return 'acquired';
    } catch (error) {
      this.logFailure('create', error);
      return 'failed';
    }
  }

  private async update(lease: V1Lease, signal: AbortSignal): Promise<Attempt> {
    const spec = lease.spec ?? {};
    const transitions = spec.leaseTransitions ?? 0;
    const renewing = spec.holderIdentity === this.options.identity;
    const now = new V1MicroTime();
    // The spread keeps metadata.resourceVersion, which makes the update
    // conditional, and any spec fields that leader election does not own.
    const body: V1Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: this.options.identity,
        leaseDurationSeconds: this.timing.leaseDurationMs / 1000,
        acquireTime: renewing ? spec.acquireTime : now,
        renewTime: now,
        leaseTransitions: renewing ? transitions : transitions + 1,
      },
    };
    try {
      this.observe(await this.api.replaceNamespacedLease({ namespace: this.options.namespace, name: this.options.name, body }, abortableBy(signal)));
      return 'acquired';
    } catch (error) {
      this.logFailure('update', error);
      return 'failed';
    }
  }

  /** Clears the holder if this replica still holds the Lease, so a standby acquires it on its next attempt. */
  private async release(): Promise<void> {
    const signal = AbortSignal.timeout(this.timing.renewDeadlineMs);
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ namespace: this.options.namespace, name: this.options.name }, abortableBy(signal));
    } catch (error) {
      if (statusOf(error) !== 404) this.logFailure('release', error);
      return;
    }
    if (lease.spec?.holderIdentity !== this.options.identity) return;

    const now = new V1MicroTime();
    const body: V1Lease = { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now } };
    try {
      this.observe(await this.api.replaceNamespacedLease({ namespace: this.options.namespace, name: this.options.name, body }, abortableBy(signal)));
      this.log.info('released leader lease');
    } catch (error) {
      this.logFailure('release', error);
    }
  }

  /** Records the Lease; the expiry clock restarts only when the leader election fields changed. */
  private observe(lease: V1Lease): void {
    this.consecutiveFailures = 0;
    const spec = lease.spec ?? {};
    const record = JSON.stringify([spec.holderIdentity, spec.leaseDurationSeconds, spec.acquireTime, spec.renewTime, spec.leaseTransitions]);
    if (this.observed?.record === record) {
      this.observed.lease = lease;
      return;
    }

    const holder = spec.holderIdentity ?? '';
    const previousHolder = this.observed?.holder;
    this.observed = { lease, record, holder, durationMs: (spec.leaseDurationSeconds ?? 0) * 1000, observedAt: this.now() };
    if (holder !== '' && holder !== previousHolder) this.reportNewLeader(holder);
  }

  private isHeldByOther(): boolean {
    const observed = this.observed;
    if (observed === undefined || observed.holder === '' || observed.holder === this.options.identity) return false;
    return this.now() < observed.observedAt + observed.durationMs;
  }

  /** Returns a jittered retry period, cut short to wake when the observed Lease of another holder expires. */
  private candidateDelayMs(): number {
    const jittered = this.timing.retryPeriodMs * (1 + Math.random() * candidateJitter);
    const observed = this.observed;
    if (observed === undefined || observed.holder === '') return jittered;

    const untilExpiryMs = observed.observedAt + observed.durationMs - this.now();
    // An expired Lease whose takeover failed waits a full period, so a
    // failing API server is not polled in a tight loop.
    return untilExpiryMs > 0 ? Math.min(jittered, Math.ceil(untilExpiryMs)) : jittered;
  }

  private startLeading(): void {
    const leadership = new AbortController();
    this.leadership = leadership;
    this.log.info('acquired leader lease');
    this.invokeCallback('onStartedLeading', () => this.options.onStartedLeading(leadership.signal));
  }

  private stopLeading(reason: StopReason): void {
    const leadership = this.leadership;
    if (leadership === undefined) return;

    this.leadership = undefined;
    leadership.abort(new Error(`leadership of Lease ${this.options.namespace}/${this.options.name} ended: ${reason}`));
    this.log.info({ reason }, 'stopped leading');
    this.invokeCallback('onStoppedLeading', () => this.options.onStoppedLeading());
  }

  private reportNewLeader(holder: string): void {
    this.log.info({ leader: holder }, 'observed new leader');
    const onNewLeader = this.options.onNewLeader;
    if (onNewLeader !== undefined) this.invokeCallback('onNewLeader', () => onNewLeader(holder));
  }

  /** Runs a callback so that its exception cannot end the election loop. */
  private invokeCallback(name: string, callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.log.error({ callback: name, err: error }, 'leader election callback failed');
    }
  }

  private logFailure(operation: string, error: unknown): void {
    const status = statusOf(error);
    // A conflict is the expected outcome of a race with another replica.
    if (status === 409) {
      this.log.debug({ operation, status }, 'lease request lost a race');
      return;
    }

    this.consecutiveFailures += 1;
    const fields = { operation, status, reason: reasonOf(error), err_message: messageOf(error), consecutive_failures: this.consecutiveFailures };
    // An unreachable API server fails every attempt, every retry period.
    if (this.consecutiveFailures % 10 === 1) this.log.warn(fields, 'lease request failed');
    else this.log.debug(fields, 'lease request failed');
  }
}

function validateOptions(options: LeaderElectionOptions, timing: Timing): void {
  if (options.identity === '') throw new Error('leader election identity is empty: set a unique identity per replica');
  if (options.namespace === '' || options.name === '') throw new Error('leader election Lease namespace and name must not be empty');
  for (const [key, value] of Object.entries(timing)) {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`leader election ${key} must be a positive number of milliseconds, got ${value}`);
  }
  if (timing.leaseDurationMs % 1000 !== 0) {
    throw new Error(`leader election leaseDurationMs must be whole seconds, because the Lease stores seconds, got ${timing.leaseDurationMs}`);
  }
  if (timing.leaseDurationMs <= timing.renewDeadlineMs) {
    throw new Error(`leader election leaseDurationMs (${timing.leaseDurationMs}) must be greater than renewDeadlineMs (${timing.renewDeadlineMs})`);
  }
  // client-go's rule: room for at least one retry within the deadline.
  if (timing.renewDeadlineMs <= timing.retryPeriodMs * 1.2) {
    throw new Error(`leader election renewDeadlineMs (${timing.renewDeadlineMs}) must be greater than 1.2 × retryPeriodMs (${timing.retryPeriodMs})`);
  }
}

/** Per-call options that let the signal abort the HTTP request. */
function abortableBy(signal: AbortSignal): ConfigurationOptions {
  const middleware: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (context) => new Observable(Promise.resolve(context)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/**
 * Runs the call with a signal that aborts when `stop` does or after
 * timeoutMs. It avoids AbortSignal.any because the long-lived `stop` signal
 * would keep an entry for every combined signal, even after garbage
 * collection (seen on Node.js 20.20), and this loop makes one per attempt.
 */
async function withTimeout<T>(stop: AbortSignal, timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onStop = () => controller.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
  const timer = setTimeout(() => controller.abort(new Error(`lease request timed out after ${Math.round(timeoutMs)} ms`)), timeoutMs);
  try {
    return await call(controller.signal);
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}

/** Resolves after the delay, or early when the signal aborts. */
async function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // Aborted: the caller checks the signal.
  }
}

function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** Returns the Status reason (Conflict, Forbidden, ...) when the API server sent one. */
function reasonOf(error: unknown): string | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body === 'object' && body !== null && 'reason' in body && typeof body.reason === 'string') return body.reason;
  return undefined;
}

/**
 * Returns a short message without the response body or headers, which
 * ApiException.message contains in full.
 */
function messageOf(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') return body.message.slice(0, 300);
    return `HTTP ${error.code}`;
  }
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? ` (${String(cause.code)})` : '';
  return `${error.message}${code}`;
}
