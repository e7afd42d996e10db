import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { KubeRequestError, readText, sendGet, toRequestError } from './request.js';

export interface ListRequest {
  kubeConfig: KubeConfig;
  /** Collection URL with the selectors set. listAll adds `limit` and `continue`. */
  url: URL;
  /** Objects per page, sent as `limit`. */
  pageSize: number;
  signal: AbortSignal;
}

export interface ListResponse<T> {
  items: T[];
  /** The resourceVersion to start the watch from. */
  resourceVersion: string;
}

interface ListPage<T> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: T[];
}

/** A page that sends nothing for this long fails the list, as the API server returns a page within seconds. */
const pageIdleTimeoutMs = 60_000;

/**
 * Lists every object of a collection, page by page. Items of a list carry no
 * kind and apiVersion, so both are set from the list's own, as watch events
 * carry them. Every error is thrown, including HTTP 410 for an expired
 * `continue` token: the caller starts the list again from the first page.
 */
export async function listAll<T extends KubernetesObject>(request: ListRequest): Promise<ListResponse<T>> {
  const items: T[] = [];
  let continueToken: string | undefined;

  for (;;) {
    const page = await fetchPage<T>(request, continueToken);
    const kind = page.kind?.replace(/List$/, '');
    for (const item of page.items ?? []) items.push({ ...item, apiVersion: item.apiVersion ?? page.apiVersion, kind: item.kind ?? kind });

    continueToken = page.metadata?.continue || undefined;
    if (continueToken === undefined) {
      const resourceVersion = page.metadata?.resourceVersion;
      if (resourceVersion === undefined || resourceVersion === '') {
        throw new KubeRequestError(200, undefined, `GET ${request.url.pathname}: the list has no metadata.resourceVersion`);
      }
      return { items, resourceVersion };
    }
  }
}

async function fetchPage<T>(request: ListRequest, continueToken: string | undefined): Promise<ListPage<T>> {
  const url = new URL(request.url);
  url.searchParams.set('limit', String(request.pageSize));
  if (continueToken !== undefined) url.searchParams.set('continue', continueToken);

  const response = await sendGet(request.kubeConfig, url, request.signal, pageIdleTimeoutMs);
  if (response.statusCode !== 200) throw await toRequestError(url, response);

  const text = await readText(response);
  try {
    return JSON.parse(text) as ListPage<T>;
  } catch {
    // The parser's message quotes the text, which for a list of Secrets contains their data, so it is dropped.
    throw new KubeRequestError(200, undefined, `GET ${url.pathname}: the list is not valid JSON`);
  }
}
