import type { Completion } from './chat.js';
import type { RequestContext } from './context.js';
import type { ErrorResponse, StreamFormat } from './dialect.js';
import { corruptJson, delay, writeChunk } from './http.js';
import type { DelaySampler } from './latency.js';

/** Deviations of a stream from a clean one. */
export interface StreamOptions {
  tokenInterval?: DelaySampler;
  /** Pause after the first chunk, in milliseconds. */
  stallMs?: number;
  /** An error event sent after the first chunk, ending the stream. */
  error?: ErrorResponse;
  /** The second chunk is sent as invalid JSON. */
  malformed?: boolean;
  /** The stream ends halfway, in the middle of an event. */
  truncated?: boolean;
}

/**
 * Pause before an error event so that it arrives in a read of its own: @google/genai
 * recognizes an error only when a whole read parses as a JSON error object.
 * NOTE: a client that reads later than this pause gets both in one read, and @google/genai
 * then fails with "Incomplete JSON segment at the end" instead of an ApiError. 20 ms was
 * too short for unit tests running in parallel on 2 cores (a Gemini case failed in CI).
 */
const errorEventPauseMs = 200;

/** Tokens sent before a `streamError` error event, as real APIs fail a few deltas in. */
const tokensBeforeError = 3;

/**
 * A stream in chunks: the first contains the opening events and the first token, one chunk
 * follows per further token, and the last contains the closing events.
 */
interface StreamChunks {
  chunks: string[];
  /** Number of the first event of each chunk, and at the end the number of all events. */
  positions: number[];
}

function buildChunks(format: StreamFormat, completion: Completion): StreamChunks {
  let position = 0;
  const frame = (event: object): string => format.frame(event, position++);
  const positions = [0];

  let first = format.opening(completion).map(frame).join('');
  const contents: string[] = [];
  completion.pieces.forEach((piece, index) => {
    const framed = frame(format.content(completion, piece, index));
    if (index === 0) first += framed;
    else contents.push(framed);
    positions.push(position);
  });
  if (completion.pieces.length === 0) positions.push(position);
  const closing = format.closing(completion).map(frame).join('') + format.end;
  positions.push(position);
  return { chunks: [first, ...contents, closing], positions };
}

export function startStream(context: RequestContext, format: StreamFormat): void {
  const headers = context.dialect.responseHeaders(context.requestId, context.startedAt);
  headers['content-type'] = format.contentType;
  headers['cache-control'] = 'no-cache';
  context.res.writeHead(200, headers);
}

/** Streams a completion token by token, applying the stream faults in `options`. */
export async function writeStream(context: RequestContext, completion: Completion, options: StreamOptions): Promise<void> {
  const { res } = context;
  const format = context.dialect.streamFormat(context.dialectRequest);
  const { chunks, positions } = buildChunks(format, completion);
  startStream(context, format);

  if (options.error) {
    const sent = Math.max(1, Math.min(tokensBeforeError, completion.pieces.length));
    chunks.splice(sent, chunks.length - sent);
    if (!(await writePaced(context, chunks, options, chunks.length))) return;
    if (!(await delay(errorEventPauseMs, res))) return;
    res.end(format.error(options.error, positions[sent] ?? 0));
    return;
  }
  if (options.malformed) chunks[1] = corruptJson(chunks[1] ?? '');
  if (options.truncated) {
    const keptChunks = Math.ceil(chunks.length / 2);
    const cut = chunks[keptChunks] ?? '';
    chunks.splice(keptChunks, chunks.length - keptChunks, cut.slice(0, Math.floor(cut.length / 2)));
  }
  if (options.tokenInterval === undefined && options.stallMs === undefined) {
    res.end(chunks.join(''));
    return;
  }
  if (await writePaced(context, chunks, options, options.truncated ? chunks.length : chunks.length - 1)) res.end();
}

/**
 * Writes chunks with the token interval before each token, and the stall after the first.
 * `pacedBefore` is the index of the first chunk sent without a pause (the closing events).
 * Returns false when the client closed the connection.
 */
async function writePaced(context: RequestContext, chunks: string[], options: StreamOptions, pacedBefore: number): Promise<boolean> {
  const { res } = context;
  for (let index = 0; index < chunks.length; index += 1) {
    let pause = 0;
    if (index === 1 && options.stallMs !== undefined) pause = options.stallMs;
    else if (index > 0 && index < pacedBefore && options.tokenInterval) pause = options.tokenInterval();
    if (!(await delay(pause, res))) return false;
    if (!(await writeChunk(res, chunks[index] ?? ''))) return false;
  }
  return true;
}

const filler = 'lorem ipsum dolor sit amet '.repeat(600);

/** Streams content events of filler text until about `sizeBytes` bytes are sent. */
export async function writeHugeStream(context: RequestContext, completion: Completion, sizeBytes: number): Promise<void> {
  const { res } = context;
  const format = context.dialect.streamFormat(context.dialectRequest);
  let position = 0;
  const frame = (event: object): string => format.frame(event, position++);
  // A non-empty completion makes the APIs open a content block for the filler.
  completion.pieces = ['filler'];
  delete completion.logprobs;
  startStream(context, format);

  let sent = 0;
  let chunk = format.opening(completion).map(frame).join('');
  for (let index = 0; sent < sizeBytes; index += 1) {
    chunk += frame(format.content(completion, filler, index));
    sent += chunk.length;
    if (!(await writeChunk(res, chunk))) return;
    chunk = '';
  }
  res.end(format.closing(completion).map(frame).join('') + format.end);
}

/** Sends a JSON response whose text is filler, so that the body is about `sizeBytes` bytes. */
export async function writeHugeJson(context: RequestContext, completion: Completion, sizeBytes: number): Promise<void> {
  const { res } = context;
  const marker = 'SIMULATOR_FILLER_MARKER';
  completion.text = marker;
  completion.pieces = [marker];
  delete completion.logprobs;
  const [prefix = '', suffix = ''] = JSON.stringify(context.dialect.renderChat(completion)).split(marker);

  const headers = context.dialect.responseHeaders(context.requestId, context.startedAt);
  headers['content-type'] = 'application/json';
  res.writeHead(200, headers);
  let sent = 0;
  let chunk = prefix;
  while (sent < sizeBytes) {
    chunk += filler;
    sent += chunk.length;
    if (!(await writeChunk(res, chunk))) return;
    chunk = '';
  }
  res.end(suffix);
}
