import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Informer, ListResult, WatchRestartReason, type InformerEvent, type InformerOptions } from './informer.js';

type Handler = (response: ServerResponse) => void;

/**
 * A stand-in for kube-apiserver on 127.0.0.1 that responds to list and watch
 * requests from two scripts, for the faults a real API server does not
 * produce on demand. When a script runs out, a list returns no objects and a
 * watch stays open without events.
 */
class FakeApiServer {
  readonly requests: URL[] = [];
  readonly requestTimes: number[] = [];
  private readonly server: Server;
  private readonly listScript: Handler[] = [];
  private readonly watchScript: Handler[] = [];

  private constructor() {
    this.server = createServer((request, response) => this.handle(request, response));
  }

  static async start(): Promise<FakeApiServer> {
    const fake = new FakeApiServer();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get lists(): URL[] {
    return this.requests.filter((url) => url.searchParams.get('watch') !== 'true');
  }

  get watches(): URL[] {
    return this.requests.filter((url) => url.searchParams.get('watch') === 'true');
  }

  onList(...handlers: Handler[]): this {
    this.listScript.push(...handlers);
    return this;
  }

  onWatch(...handlers: Handler[]): this {
    this.watchScript.push(...handlers);
    return this;
  }

  kubeConfig(): KubeConfig {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'tester', token: 'test-token' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
      currentContext: 'fake',
    });
    return kubeConfig;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    this.requests.push(url);
    this.requestTimes.push(Date.now());
    const isWatch = url.searchParams.get('watch') === 'true';
    const handler = isWatch ? this.watchScript.shift() : this.listScript.shift();
    if (handler !== undefined) handler(response);
    else if (isWatch) openStream(response);
    else listOf([], '1')(response);
  }
}

function configMap(name: string, resourceVersion: string, data?: Record<string, string>): V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion }, data };
}

function listOf(items: V1ConfigMap[], resourceVersion: string, continueToken?: string): Handler {
  // Items of a real list carry no kind and apiVersion.
  const bare = items.map(({ metadata, data }) => ({ metadata, data }));
  const metadata = { resourceVersion, continue: continueToken };
  return (response) => sendJson(response, 200, { kind: 'ConfigMapList', apiVersion: 'v1', metadata, items: bare });
}

function status(code: number, reason: string, headers: Record<string, string> = {}): Handler {
  return (response) => sendJson(response, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code, message: `fake ${reason}` }, headers);
}

/** Returns a handler that opens a watch stream, sends `lines`, and ends the stream when `end` is set. */
function stream(lines: unknown[], end: boolean): Handler {
  return (response) => {
    openStream(response);
    for (const line of lines) response.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
    if (end) response.end();
  };
}

function openStream(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.flushHeaders();
}

function sendJson(response: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(code, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const goneEvent = { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' } };

async function waitFor(description: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${description}`);
    await sleep(10);
  }
}

describe('Informer against a fake API server', () => {
  const cleanups: Array<() => Promise<unknown>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(fake: FakeApiServer, options: Partial<InformerOptions<V1ConfigMap>> = {}) {
    const events: InformerEvent<V1ConfigMap>[] = [];
    const restarts: WatchRestartReason[] = [];
    const lists: ListResult[] = [];
    const lines: string[] = [];
    const informer = new Informer<V1ConfigMap>({
      kubeConfig: fake.kubeConfig(),
      path: '/api/v1/namespaces/default/configmaps',
      logger: pino({ level: 'debug' }, { write: (line: string) => lines.push(line) }),
      backoff: { initialMs: 10, maxMs: 50 },
      onRestart: (reason) => restarts.push(reason),
      onList: (result) => lists.push(result),
      ...options,
    });
    informer.on((event) => events.push(event));
    cleanups.push(() => fake.close(), () => informer.stop());
    return { informer, events, restarts, lists, lines };
  }

  async function fakeServer(): Promise<FakeApiServer> {
    return FakeApiServer.start();
  }

  it('honours Retry-After on a 429 list', async () => {
    const fake = (await fakeServer()).onList(status(429, 'TooManyRequests', { 'retry-after': '1' }), listOf([], '5'));
    const { informer, lists } = await setUp(fake);

    await informer.start();

    const [first, second] = fake.requestTimes as [number, number];
    expect(second - first).toBeGreaterThanOrEqual(950);
    expect(lists).toEqual([ListResult.Error, ListResult.Success]);
  });

  it('retries a list that fails with 5xx', async () => {
    const fake = (await fakeServer()).onList(status(503, 'ServiceUnavailable'), status(500, 'InternalError'), listOf([configMap('a', '3')], '5'));
    const { informer, lists, lines } = await setUp(fake);

    await informer.start();

    expect(lists).toEqual([ListResult.Error, ListResult.Error, ListResult.Success]);
    expect(informer.get('default', 'a')?.metadata?.resourceVersion).toBe('3');
    expect(lines.filter((line) => line.includes('list failed, retrying'))).toHaveLength(2);
  });

  it('sends selectors, limit, bookmarks and a watch timeout', async () => {
    const fake = await fakeServer();
    const { informer } = await setUp(fake, { labelSelector: 'team=a', fieldSelector: 'metadata.name=x' });

    await informer.start();
    await waitFor('the watch starts', () => fake.watches.length === 1);

    const [list] = fake.lists;
    const [watch] = fake.watches;
    expect(Object.fromEntries(list?.searchParams ?? [])).toEqual({ labelSelector: 'team=a', fieldSelector: 'metadata.name=x', limit: '500' });
    expect(watch?.searchParams.get('labelSelector')).toBe('team=a');
    expect(watch?.searchParams.get('fieldSelector')).toBe('metadata.name=x');
    expect(watch?.searchParams.get('resourceVersion')).toBe('1');
    expect(watch?.searchParams.get('allowWatchBookmarks')).toBe('true');
    // 80 % to 90 % of the default silence timeout of 5 minutes.
    expect(Number(watch?.searchParams.get('timeoutSeconds'))).toBeGreaterThanOrEqual(240);
    expect(Number(watch?.searchParams.get('timeoutSeconds'))).toBeLessThanOrEqual(270);
  });

  it('starts the list over when a continue token expires', async () => {
    const fake = (await fakeServer()).onList(
      listOf([configMap('a', '3')], '', 'token-1'),
      status(410, 'Expired'),
      listOf([configMap('a', '3')], '', 'token-2'),
      listOf([configMap('b', '4')], '7'),
    );
    const { informer, lists, events } = await setUp(fake);

    await informer.start();

    expect(fake.lists.map((url) => url.searchParams.get('continue'))).toEqual([null, 'token-1', null, 'token-2']);
    expect(lists).toEqual([ListResult.Error, ListResult.Success]);
    expect(events.map((event) => `${event.type} ${event.object.metadata?.name}`)).toEqual(['add a', 'add b']);
    expect(events.map((event) => event.object.kind)).toEqual(['ConfigMap', 'ConfigMap']);
  });

  it('lists again on HTTP 410 from the watch', async () => {
    const fake = (await fakeServer()).onList(listOf([configMap('a', '3')], '5'), listOf([configMap('a', '3')], '9')).onWatch(status(410, 'Expired'));
    const { informer, restarts, lists, events } = await setUp(fake);

    await informer.start();
    await waitFor('the second watch starts', () => fake.watches.length === 2);

    expect(restarts).toEqual([WatchRestartReason.Gone]);
    expect(lists).toEqual([ListResult.Success, ListResult.Success]);
    expect(fake.watches.map((url) => url.searchParams.get('resourceVersion'))).toEqual(['5', '9']);
    expect(events.map((event) => event.type)).toEqual(['add']);
  });

  it('reports what a relist after an ERROR 410 event changed', async () => {
    const fake = (await fakeServer())
      .onList(listOf([configMap('kept', '1'), configMap('changed', '1'), configMap('deleted', '1')], '5'))
      .onList(listOf([configMap('kept', '1'), configMap('changed', '6', { state: 'new' }), configMap('created', '7')], '8'))
      .onWatch(stream([goneEvent], false));
    const { informer, restarts, events } = await setUp(fake);

    await informer.start();
    await waitFor('the relist completes', () => events.length === 6);

    const afterRelist = events.slice(3).map((event) => `${event.type} ${event.object.metadata?.name}`);
    expect(restarts).toEqual([WatchRestartReason.Gone]);
    expect(afterRelist).toEqual(['delete deleted', 'update changed', 'add created']);
    expect(events[4]?.old?.metadata?.resourceVersion).toBe('1');
    expect(informer.list().map((object) => object.metadata?.name).sort()).toEqual(['changed', 'created', 'kept']);
  });

  it('resumes the watch from the last event or bookmark', async () => {
    const added = { type: 'ADDED', object: configMap('b', '11') };
    const bookmark = { type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '15' } } };
    const fake = (await fakeServer()).onList(listOf([], '10')).onWatch(stream([added], true), stream([bookmark], true));
    const { informer, restarts, lists } = await setUp(fake);

    await informer.start();
    await waitFor('the third watch starts', () => fake.watches.length === 3);

    expect(fake.watches.map((url) => url.searchParams.get('resourceVersion'))).toEqual(['10', '11', '15']);
    expect(restarts).toEqual([WatchRestartReason.Closed, WatchRestartReason.Closed]);
    expect(lists).toEqual([ListResult.Success]);
  });

  it('emits update only for a new resourceVersion', async () => {
    const fake = (await fakeServer()).onList(listOf([configMap('a', '3')], '5')).onWatch(
      stream(
        [
          { type: 'MODIFIED', object: configMap('a', '3') },
          { type: 'MODIFIED', object: configMap('a', '6', { state: 'new' }) },
          { type: 'DELETED', object: configMap('a', '7') },
          { type: 'DELETED', object: configMap('never-seen', '8') },
        ],
        false,
      ),
    );
    const { informer, events } = await setUp(fake);

    await informer.start();
    await waitFor('the delete arrives', () => events.some((event) => event.type === 'delete'));
    await sleep(50);

    expect(events.map((event) => `${event.type} ${event.object.metadata?.name} ${event.object.metadata?.resourceVersion}`)).toEqual([
      'add a 3',
      'update a 6',
      'delete a 7',
    ]);
  });

  it('restarts after a line that is not JSON without logging it', async () => {
    const fake = (await fakeServer()).onList(listOf([], '5')).onWatch(stream(['{"type":"ADDED","object":{"data":{"key":"hidden-value"'], true));
    const { informer, restarts, lists, lines } = await setUp(fake);

    await informer.start();
    await waitFor('the second watch starts', () => fake.watches.length === 2);

    expect(restarts).toEqual([WatchRestartReason.Error]);
    expect(lists).toEqual([ListResult.Success]);
    expect(lines.join('')).toContain('a watch line is not a JSON watch event');
    expect(lines.join('')).not.toContain('hidden-value');
  });

  it('restarts a watch whose response never starts', async () => {
    const hang: Handler = () => undefined;
    const fake = (await fakeServer()).onList(listOf([], '5')).onWatch(hang);
    const { informer, restarts } = await setUp(fake, { silenceTimeoutMs: 200 });

    await informer.start();
    await waitFor('the second watch starts', () => fake.watches.length === 2);

    expect(restarts).toEqual([WatchRestartReason.Silent]);
  });

  it('honours Retry-After on a 429 watch', async () => {
    const fake = (await fakeServer()).onList(listOf([], '5')).onWatch(status(429, 'TooManyRequests', { 'retry-after': '1' }));
    const { informer, restarts } = await setUp(fake);

    await informer.start();
    await waitFor('the second watch starts', () => fake.watches.length === 2, 3_000);

    const [first, second] = fake.requestTimes.slice(1) as [number, number];
    expect(restarts).toEqual([WatchRestartReason.Error]);
    expect(second - first).toBeGreaterThanOrEqual(950);
  });

  it('logs a listener that throws and keeps emitting', async () => {
    const fake = (await fakeServer()).onList(listOf([configMap('a', '3'), configMap('b', '4')], '5'));
    const { informer, events, lines } = await setUp(fake);
    informer.on(() => {
      throw new Error('listener bug');
    });

    await informer.start();

    expect(events.map((event) => event.object.metadata?.name)).toEqual(['a', 'b']);
    expect(lines.filter((line) => line.includes('informer listener failed') && line.includes('listener bug'))).toHaveLength(2);
  });

  it('caches the transformed object', async () => {
    const fake = (await fakeServer()).onList(listOf([configMap('a', '3', { keep: 'yes', drop: 'secret' })], '5'));
    const { informer, events } = await setUp(fake, { transform: (object) => ({ ...object, data: { keep: object.data?.keep ?? '' } }) });

    await informer.start();

    expect(informer.get('default', 'a')?.data).toEqual({ keep: 'yes' });
    expect(events[0]?.object.data).toEqual({ keep: 'yes' });
  });

  it('rejects start when stopped before the first list', async () => {
    const hang: Handler = () => undefined;
    const fake = (await fakeServer()).onList(hang);
    const { informer } = await setUp(fake);

    const started = informer.start();
    await waitFor('the list request arrives', () => fake.lists.length === 1);
    await informer.stop();

    await expect(started).rejects.toThrow('stopped before its first list completed');
    expect(informer.synced).toBe(false);
  });

  it('cannot be started twice', async () => {
    const fake = await fakeServer();
    const { informer } = await setUp(fake);

    await informer.start();

    await expect(informer.start()).rejects.toThrow('already started');
  });
});

describe('Informer options', () => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: false }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  const logger = pino({ level: 'silent' });

  it.each([
    { name: 'relative path', options: { path: 'api/v1/secrets' }, message: 'invalid informer path "api/v1/secrets"' },
    { name: 'path with a query', options: { path: '/api/v1/secrets?limit=1' }, message: 'use a collection path without a query' },
    { name: 'zero page size', options: { pageSize: 0 }, message: 'invalid informer option pageSize 0' },
    { name: 'fractional silence timeout', options: { silenceTimeoutMs: 1.5 }, message: 'invalid informer option silenceTimeoutMs 1.5' },
    { name: 'negative resync period', options: { resyncPeriodMs: -1 }, message: 'invalid informer option resyncPeriodMs -1' },
    { name: 'backoff above its maximum', options: { backoff: { initialMs: 10, maxMs: 5 } }, message: 'invalid backoff 10 ms to 5 ms' },
  ])('rejects $name', ({ options, message }) => {
    const create = () => new Informer({ kubeConfig, logger, path: '/api/v1/secrets', ...options });

    expect(create).toThrow(message);
  });

  it('rejects a kubeconfig without a current cluster', () => {
    const create = () => new Informer({ kubeConfig: new KubeConfig(), logger, path: '/api/v1/secrets' });

    expect(create).toThrow('the kubeconfig has no current cluster');
  });
});
