/**
 * GET /v1/failures: the recent failing answers of `llm-monitor run`, read
 * only, as JSON `{"monitors": [{namespace, monitor, recentFailures}]}`. The
 * answers are redacted and bounded by the store, so the body stays small.
 */
import type { ServerResponse } from 'node:http';

import type { RecentFailureStore } from '../engine/recent-failure-store.js';

export const failuresPath = '/v1/failures';

export function serveFailures(response: ServerResponse, store: RecentFailureStore): void {
  const body = JSON.stringify({ monitors: store.list() });
  response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
}
