import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body read, in bytes; larger bodies get the API's 413 or 400. */
export const maxRequestBodyBytes = 16 * 1024 * 1024;

/** Node's timers take at most 2^31 - 1 ms (about 24.8 days). */
const maxTimerMs = 2 ** 31 - 1;

/**
 * Reads the whole request body. Resolves undefined when it exceeds `limitBytes`, and
 * rejects when the client aborts before the end.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) return Promise.resolve(undefined);

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        // Stop reading. The caller responds with `connection: close`, which drops the rest.
        settled = true;
        req.removeAllListeners('data');
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      settled = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.on('error', reject);
    // 'close' follows 'end' on every request; only an early one means the client left.
    req.on('close', () => {
      if (!settled) reject(new Error('client closed the connection before the request body ended'));
    });
  });
}

export function sendJson(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(status, headers);
  res.end(body);
}

/** Waits `ms` milliseconds; resolves false at once if the client closes the connection meanwhile. */
export function delay(ms: number, res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, Math.min(ms, maxTimerMs));
    res.once('close', onClose);
  });
}

/** Writes a chunk and waits while the socket buffer is full; resolves false if the client left. */
export function writeChunk(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onDrain = (): void => {
      res.off('close', onClose);
      resolve(true);
    };
    const onClose = (): void => {
      res.off('drain', onDrain);
      resolve(false);
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** Makes JSON text invalid in an obvious way: the first `":` becomes `"=`. */
export function corruptJson(text: string): string {
  return text.replace('":', '"=');
}
