/**
 * A list-and-watch cache of one Kubernetes collection that does not stop
 * silently. The informer of @kubernetes/client-node can end on ECONNRESET
 * without restarting and can hang on a watch that receives nothing. This one
 * restarts after every end of the watch, bounds how long a watch may stay
 * silent, and lists again on 410 Gone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { Backoff } from './informer/backoff.js';
import { listAll } from './informer/list.js';
import { ObjectCache, objectKey, type CacheChange, type CacheEntry } from './informer/object-cache.js';
import { KubeRequestError, serverUrl } from './informer/request.js';
import { ListResult, WatchRestartReason } from './informer/restart-reason.js';
import { watchOnce, type WatchEnd, type WatchEvent } from './informer/watch.js';

export { ListResult, WatchRestartReason, listResults, watchRestartReasons } from './informer/restart-reason.js';

export interface InformerOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** Collection path, such as `/api/v1/secrets` or `/apis/llmmonitor.dev/v1alpha1/namespaces/NS/llmmonitors`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Objects per list page (`limit`). Default 500. */
  pageSize?: number;
  /** Interval between `resync` events for every cached object, in milliseconds. 0 turns them off. Default 10 minutes. */
  resyncPeriodMs?: number;
  /** A watch that receives no event and no bookmark for this long is restarted, in milliseconds. Default 5 minutes. */
  silenceTimeoutMs?: number;
  /**
   * `timeoutSeconds` of each watch, after which the server ends it normally.
   * Default: a random value between 80 % and 90 % of the silence timeout, so
   * healthy watches roll over before they count as silent, and not all at once.
   */
  watchTimeoutSeconds?: number;
  /** Sent as `allowWatchBookmarks`. Default true, and false only in tests of the silence timeout. */
  allowWatchBookmarks?: boolean;
  /**
   * Delays before a new list or watch. A watch that stayed open for
   * `resetAfterMs` starts the next delay from `initialMs` again.
   * Default 200 ms doubling up to 30 s, reset after 60 s.
   */
  backoff?: { initialMs: number; maxMs: number; resetAfterMs?: number };
  /**
   * Applied to every listed or watched object before it is cached and
   * emitted, for example to keep only the Secret keys the operator reads.
   * The informer reads name, namespace and resourceVersion before the call.
   */
  transform?: (object: T) => T;
  logger: Logger;
  /** Called once per watch restart, for the restart counter. */
  onRestart?: (reason: WatchRestartReason) => void;
  /** Called once per complete list or failed list attempt, for the list counter. */
  onList?: (result: ListResult) => void;
}

/** A change of the cache, or a cached object re-emitted. The objects are the cached ones, so listeners must not modify them. */
export interface InformerEvent<T> {
  /** `resync` re-emits a cached object unchanged, so the listener can correct drift. */
  type: 'add' | 'update' | 'delete' | 'resync';
  /** The new object, or for a delete its last state. */
  object: T;
  /** The replaced object, set on update only. */
  old?: T;
}

export type InformerListener<T> = (event: InformerEvent<T>) => void;

const defaultPageSize = 500;
const defaultResyncPeriodMs = 10 * 60_000;
const defaultSilenceTimeoutMs = 5 * 60_000;
const defaultBackoff = { initialMs: 200, maxMs: 30_000, resetAfterMs: 60_000 };

type State = 'new' | 'running' | 'stopped';

/**
 * Lists a collection (in pages), then watches it from the list's
 * resourceVersion, and keeps the objects in memory keyed by namespace/name.
 * Every end of the watch starts a new one after an exponential backoff with
 * jitter. 410 Gone starts a new list, which is compared with the cache so that
 * objects deleted or changed meanwhile are reported too.
 */
export class Informer<T extends KubernetesObject> {
  private readonly cache = new ObjectCache<T>();
  private readonly listeners = new Set<InformerListener<T>>();
  private readonly stopController = new AbortController();
  private readonly backoff: Backoff;
  private readonly resetAfterMs: number;
  private readonly logger: Logger;
  private readonly collectionUrl: URL;
  private state: State = 'new';
  private isSynced = false;
  /** The resourceVersion the next watch starts from, or undefined when a list is needed first. */
  private resourceVersion: string | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private syncWaiter: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly options: InformerOptions<T>) {
    validateOptions(options);
    this.backoff = new Backoff(options.backoff ?? defaultBackoff);
    this.resetAfterMs = options.backoff?.resetAfterMs ?? defaultBackoff.resetAfterMs;
    this.logger = options.logger.child({ informer: options.path });
    this.collectionUrl = collectionUrl(options);
  }

  /** Adds a listener for every later event and returns a function that removes it. */
  on(listener: InformerListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts listing and watching. Resolves after the first complete list, once
   * its objects were emitted as `add` events. Keeps retrying a failing list,
   * so it rejects only when stop() is called first, or when the API server
   * rejects the first list with 400 Bad Request (a KubeRequestError), which no
   * retry can fix.
   */
  start(): Promise<void> {
    if (this.state !== 'new') return Promise.reject(new Error('the informer was already started: create a new Informer'));
    this.state = 'running';

    const synced = new Promise<void>((resolve, reject) => {
      this.syncWaiter = { resolve, reject };
    });
    const resyncPeriodMs = this.options.resyncPeriodMs ?? defaultResyncPeriodMs;
    if (resyncPeriodMs > 0) this.resyncTimer = setInterval(() => this.resync(), resyncPeriodMs);
    this.loop = this.run();
    this.logger.info({ label_selector: this.options.labelSelector, field_selector: this.options.fieldSelector }, 'informer started');
    return synced;
  }

  /**
   * Ends the watch or list in flight and cancels every timer. No event is
   * emitted after it returns. The promise resolves once the request is
   * aborted, and awaiting it is optional.
   */
  stop(): Promise<void> {
    if (this.state === 'stopped') return this.loop ?? Promise.resolve();
    this.state = 'stopped';

    clearInterval(this.resyncTimer);
    this.stopController.abort();
    if (!this.isSynced) this.syncWaiter?.reject(new Error(`the informer of ${this.options.path} stopped before its first list completed`));
    this.logger.info('informer stopped');
    return this.loop ?? Promise.resolve();
  }

  /** True once the first list completed, and through every later relist. */
  get synced(): boolean {
    return this.isSynced;
  }

  /** Returns the cached object. `namespace` is undefined for cluster-scoped objects. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(objectKey(namespace, name));
  }

  /** Returns every cached object, in no particular order. */
  list(): T[] {
    return this.cache.objects();
  }

  private get stopped(): boolean {
    return this.state === 'stopped';
  }

  /** Lists when needed, else watches, until stop(). This is the informer's only loop. */
  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        else await this.watch(this.resourceVersion);
      } catch (error) {
        // A bug in a step must not end the loop, which would stop the informer silently.
        this.logger.error({ err: error }, 'informer step failed unexpectedly, continuing');
        await this.pause(this.backoff.next());
      }
    }
  }

  private async relist(): Promise<void> {
    const startedAt = Date.now();
    let listed: { items: T[]; resourceVersion: string };
    try {
      listed = await listAll<T>({
        kubeConfig: this.options.kubeConfig,
        url: this.collectionUrl,
        pageSize: this.options.pageSize ?? defaultPageSize,
        signal: this.stopController.signal,
      });
    } catch (error) {
      if (this.stopped) return;
      this.options.onList?.(ListResult.Error);
      if (!this.isSynced && error instanceof KubeRequestError && error.status === 400) {
        // The API server rejected the request itself, for example an invalid label selector, and no retry can fix that.
        this.logger.error({ err: error, status: error.status }, 'list rejected with 400 Bad Request, stopping');
        this.syncWaiter?.reject(error);
        this.syncWaiter = undefined;
        void this.stop();
        return;
      }
      const delayMs = this.backoff.next(error instanceof KubeRequestError ? error.retryAfterMs : undefined);
      const status = error instanceof KubeRequestError ? error.status : undefined;
      this.logger.warn({ err: error, status, delay_ms: delayMs }, 'list failed, retrying');
      await this.pause(delayMs);
      return;
    }
    if (this.stopped) return;

    this.options.onList?.(ListResult.Success);
    const entries = listed.items.flatMap((item) => this.toEntry(item) ?? []);
    const changes = this.cache.replace(entries);
    this.resourceVersion = listed.resourceVersion;
    this.logger.info({ objects: this.cache.size, changes: changes.length, duration_ms: Date.now() - startedAt }, 'informer listed');

    for (const change of changes) this.emit(change);
    this.markSynced();
  }

  private async watch(resourceVersion: string): Promise<void> {
    const end = await watchOnce({
      kubeConfig: this.options.kubeConfig,
      url: this.watchUrl(resourceVersion),
      silenceTimeoutMs: this.options.silenceTimeoutMs ?? defaultSilenceTimeoutMs,
      signal: this.stopController.signal,
      onEvent: (event) => this.handleEvent(event),
    });
    if (this.stopped) return;

    if (end.connectedMs >= this.resetAfterMs) this.backoff.reset();
    if (end.reason === WatchRestartReason.Gone) this.resourceVersion = undefined;
    this.options.onRestart?.(end.reason);
    const delayMs = this.backoff.next(end.retryAfterMs);
    this.logRestart(end, delayMs);
    await this.pause(delayMs);
  }

  private handleEvent(event: WatchEvent): void {
    const object = event.object as T;
    switch (event.type) {
      case 'BOOKMARK':
        this.resourceVersion = object.metadata?.resourceVersion ?? this.resourceVersion;
        return;
      case 'ADDED':
      case 'MODIFIED': {
        const entry = this.toEntry(object);
        if (entry === undefined) return;
        this.resourceVersion = entry.resourceVersion;
        const change = this.cache.upsert(entry);
        if (change !== undefined) this.emit(change);
        return;
      }
      case 'DELETED': {
        const entry = this.toEntry(object);
        if (entry === undefined) return;
        this.resourceVersion = entry.resourceVersion;
        const change = this.cache.remove(entry.key, entry.object);
        if (change !== undefined) this.emit(change);
        return;
      }
      default:
        this.logger.debug({ event_type: event.type }, 'ignored a watch event of unknown type');
    }
  }

  /** Reads the identity of an object and applies the transform. Returns undefined when the object cannot be cached. */
  private toEntry(object: T): CacheEntry<T> | undefined {
    const name = object.metadata?.name;
    const resourceVersion = object.metadata?.resourceVersion;
    if (name === undefined || resourceVersion === undefined) {
      this.logger.warn('ignored an object without metadata.name or metadata.resourceVersion');
      return undefined;
    }
    const key = objectKey(object.metadata?.namespace, name);

    try {
      const transformed = this.options.transform === undefined ? object : this.options.transform(object);
      return { key, resourceVersion, object: transformed };
    } catch (error) {
      this.logger.error({ err: error, object_key: key }, 'transform failed, so the object is not cached');
      return undefined;
    }
  }

  private emit(event: CacheChange<T> | InformerEvent<T>): void {
    for (const listener of this.listeners) {
      // Checked per listener, because a listener may call stop().
      if (this.stopped) return;
      try {
        const result: unknown = listener(event);
        if (result instanceof Promise) result.catch((error: unknown) => this.logListenerError(event, error));
      } catch (error) {
        this.logListenerError(event, error);
      }
    }
  }

  private logListenerError(event: InformerEvent<T>, error: unknown): void {
    const metadata = event.object.metadata;
    const key = objectKey(metadata?.namespace, metadata?.name ?? '');
    this.logger.error({ err: error, event_type: event.type, object_key: key }, 'informer listener failed');
  }

  private resync(): void {
    if (!this.isSynced || this.stopped) return;
    for (const object of this.cache.objects()) this.emit({ type: 'resync', object });
  }

  private markSynced(): void {
    if (this.isSynced || this.stopped) return;
    this.isSynced = true;
    this.syncWaiter?.resolve();
  }

  private logRestart(end: WatchEnd, delayMs: number): void {
    const fields = { reason: end.reason, delay_ms: delayMs, connected_ms: end.connectedMs, err: end.error };
    const expected = end.reason === WatchRestartReason.Closed || end.reason === WatchRestartReason.Gone;
    if (expected) this.logger.info(fields, 'watch ended, restarting');
    else this.logger.warn(fields, 'watch ended, restarting');
  }

  private watchUrl(resourceVersion: string): URL {
    const url = new URL(this.collectionUrl);
    url.searchParams.set('watch', 'true');
    url.searchParams.set('resourceVersion', resourceVersion);
    url.searchParams.set('allowWatchBookmarks', String(this.options.allowWatchBookmarks ?? true));
    url.searchParams.set('timeoutSeconds', String(this.options.watchTimeoutSeconds ?? this.defaultWatchTimeoutSeconds()));
    return url;
  }

  private defaultWatchTimeoutSeconds(): number {
    const silenceTimeoutMs = this.options.silenceTimeoutMs ?? defaultSilenceTimeoutMs;
    const fraction = 0.8 + Math.random() * 0.1;
    return Math.max(1, Math.floor((silenceTimeoutMs * fraction) / 1000));
  }

  /** Waits, or returns at once when stop() is called. */
  private async pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.stopController.signal });
    } catch {
      // Aborted by stop(). The loop checks the state and ends.
    }
  }
}

function collectionUrl<T extends KubernetesObject>(options: InformerOptions<T>): URL {
  const url = new URL(serverUrl(options.kubeConfig) + options.path);
  if (options.labelSelector !== undefined) url.searchParams.set('labelSelector', options.labelSelector);
  if (options.fieldSelector !== undefined) url.searchParams.set('fieldSelector', options.fieldSelector);
  return url;
}

function validateOptions<T extends KubernetesObject>(options: InformerOptions<T>): void {
  if (!options.path.startsWith('/') || options.path.includes('?')) {
    throw new Error(`invalid informer path "${options.path}": use a collection path without a query, such as /api/v1/secrets`);
  }
  const positive: Array<[string, number | undefined]> = [
    ['pageSize', options.pageSize],
    ['silenceTimeoutMs', options.silenceTimeoutMs],
    ['watchTimeoutSeconds', options.watchTimeoutSeconds],
  ];
  for (const [name, value] of positive) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new Error(`invalid informer option ${name} ${value}: use a positive integer`);
    }
  }
  const resyncPeriodMs = options.resyncPeriodMs;
  if (resyncPeriodMs !== undefined && !(Number.isFinite(resyncPeriodMs) && resyncPeriodMs >= 0)) {
    throw new Error(`invalid informer option resyncPeriodMs ${resyncPeriodMs}: use 0 (off) or a positive number of milliseconds`);
  }
}
