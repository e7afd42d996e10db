/**
 * A fetch for the OpenAI and Anthropic SDKs that bounds what they buffer and
 * does not follow redirects.
 *
 * Both SDKs read a non-streaming body whole with `response.json()`, and their
 * server-sent-event decoders keep one event in memory until its closing blank
 * line, so a misbehaving server could make them buffer without limit. This
 * fetch errors the body once it passes the limit.
 *
 * Redirects are returned as responses instead of followed: a monitor measures
 * the endpoint it was given, a redirect usually means that baseURL is wrong,
 * and fetch turns a POST redirected with 301 or 302 into a GET.
 */

/** Maximum bytes of a non-streaming response body, and of one server-sent event. */
export const maxBufferedBytes = 8 * 1024 * 1024;

/** The response body passed the limit of what a client buffers. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

export function createBoundedFetch(limitBytes = maxBufferedBytes): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, { ...init, redirect: 'manual' });
    return limitResponseBody(response, limitBytes);
  };
}

/** Wraps the body so that reading it fails with ResponseTooLargeError past the limit. */
export function limitResponseBody(response: Response, limitBytes: number): Response {
  if (response.body === null || declaredWithinLimit(response, limitBytes)) return response;

  const contentType = response.headers.get('content-type') ?? '';
  const counter = contentType.includes('text/event-stream') ? new EventSizeCounter() : new TotalSizeCounter();
  const limited = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (counter.add(chunk) > limitBytes) {
          controller.error(new ResponseTooLargeError(`${counter.description} exceeded the limit of ${limitBytes} bytes`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );

  return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * Returns whether the response declares a Content-Length within the limit
 * and is not compressed. fetch delivers no more body bytes than the declared
 * length, so such a body cannot pass the limit and skips the counting stream,
 * which costs a TransformStream and a new Response per call. A compressed
 * body is decompressed by fetch and can grow past its declared length.
 */
function declaredWithinLimit(response: Response, limitBytes: number): boolean {
  const length = response.headers.get('content-length');
  if (length === null || !/^\d+$/.test(length)) return false;
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return false;
  return Number(length) <= limitBytes;
}

interface SizeCounter {
  readonly description: string;
  /** Adds a chunk and returns the bytes that count against the limit. */
  add(chunk: Uint8Array): number;
}

class TotalSizeCounter implements SizeCounter {
  readonly description = 'response body';
  #bytes = 0;

  add(chunk: Uint8Array): number {
    this.#bytes += chunk.byteLength;
    return this.#bytes;
  }
}

const carriageReturn = 0x0d;
const lineFeed = 0x0a;

/** Counts the bytes of the current server-sent event: the bytes since the last blank line. */
class EventSizeCounter implements SizeCounter {
  readonly description = 'one server-sent event';
  #eventBytes = 0;
  #lineBytes = 0;
  #previousWasCarriageReturn = false;
  #largestEventBytes = 0;

  add(chunk: Uint8Array): number {
    for (const byte of chunk) {
      this.#addByte(byte);
    }
    return this.#largestEventBytes;
  }

  #addByte(byte: number): void {
    const isLineFeedOfCrLf = byte === lineFeed && this.#previousWasCarriageReturn;
    this.#previousWasCarriageReturn = byte === carriageReturn;
    if (isLineFeedOfCrLf) return;

    if (byte === carriageReturn || byte === lineFeed) {
      if (this.#lineBytes === 0) this.#eventBytes = 0;
      this.#lineBytes = 0;
      return;
    }

    this.#lineBytes += 1;
    this.#eventBytes += 1;
    if (this.#eventBytes > this.#largestEventBytes) this.#largestEventBytes = this.#eventBytes;
  }
}
