import { pino } from 'pino';
import { describe, expect, it } from 'vitest';

import { WorkQueue } from './work-queue.js';

const logger = pino({ level: 'silent' });

/** A handler whose calls finish only when the test releases them, recording the keys in flight. */
function gatedHandler() {
  const inFlight = new Set<string>();
  const calls: string[] = [];
  let maxInFlight = 0;
  const releases: (() => void)[] = [];
  const handle = async (key: string): Promise<void> => {
    if (inFlight.has(key)) throw new Error(`${key} reconciled twice at once`);
    inFlight.add(key);
    calls.push(key);
    maxInFlight = Math.max(maxInFlight, inFlight.size);
    await new Promise<void>((resolve) => releases.push(resolve));
    inFlight.delete(key);
  };
  const releaseAll = async (): Promise<void> => {
    while (releases.length > 0) {
      for (const release of releases.splice(0)) release();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { handle, calls, inFlight, releaseAll, maxInFlight: () => maxInFlight };
}

describe('WorkQueue', () => {
  it('reconciles up to its number of workers at once', async () => {
    const handler = gatedHandler();
    const queue = new WorkQueue(handler.handle, logger, 3);

    for (const key of ['a', 'b', 'c', 'd', 'e']) queue.add(key);
    await new Promise((resolve) => setImmediate(resolve));

    expect([...handler.inFlight]).toEqual(['a', 'b', 'c']);
    await handler.releaseAll();
    await queue.idle();
    expect(handler.calls).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(handler.maxInFlight()).toBe(3);
  });

  it('reconciles a busy key again afterwards', async () => {
    const handler = gatedHandler();
    const queue = new WorkQueue(handler.handle, logger, 4);

    queue.add('a');
    await new Promise((resolve) => setImmediate(resolve));
    queue.add('a');
    queue.add('a');
    await new Promise((resolve) => setImmediate(resolve));

    expect([...handler.inFlight]).toEqual(['a']);
    await handler.releaseAll();
    await queue.idle();
    expect(handler.calls).toEqual(['a', 'a']);
  });

  it('merges a key added twice while it waits', async () => {
    const handler = gatedHandler();
    const queue = new WorkQueue(handler.handle, logger, 1);

    queue.add('a');
    queue.add('b');
    queue.add('b');
    await handler.releaseAll();
    await queue.idle();

    expect(handler.calls).toEqual(['a', 'b']);
  });

  it('resolves idle only when every worker is done', async () => {
    const handler = gatedHandler();
    const queue = new WorkQueue(handler.handle, logger, 2);
    let idle = false;

    queue.add('a');
    queue.add('b');
    void queue.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));

    expect(idle).toBe(false);
    await handler.releaseAll();
    await queue.idle();
    expect(idle).toBe(true);
  });

  it.each([0, -1, 1.5])('rejects %s workers', (workers) => {
    expect(() => new WorkQueue(async () => {}, logger, workers)).toThrow(`workers must be an integer of 1 or more, not ${workers}`);
  });
});
