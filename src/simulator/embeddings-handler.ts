import { authorize } from './auth.js';
import { parseRequest, readJsonBody, type RequestContext } from './context.js';
import { embedText, encodeEmbeddingBase64 } from './embeddings.js';
import { parseGeminiEmbeddings } from './gemini/request.js';
import { sendJson } from './http.js';
import { parseOpenAIEmbeddings } from './openai/request.js';
import { renderOpenAIEmbeddings } from './openai/response.js';
import { countWords } from './text.js';

/** `POST /v1/embeddings`. Errors and faults of the scenario apply to chat requests only. */
export async function handleOpenAIEmbeddings(context: RequestContext): Promise<void> {
  if (!authorize(context)) return;
  const body = await readJsonBody(context);
  if (body === undefined) return;
  const call = parseRequest(context, () => parseOpenAIEmbeddings(body.value));
  if (call === undefined) return;

  const vectors = call.inputs.map((text) => {
    const vector = embedText(text, call.dimensions);
    return call.base64 ? encodeEmbeddingBase64(vector) : vector;
  });
  const tokens = call.inputs.reduce((total, text) => total + countWords(text), 0);
  context.stats.recordOutcome('openai', 'ok');
  sendOk(context, renderOpenAIEmbeddings(call.model, vectors, tokens));
}

/** `POST /v1beta/models/{model}:embedContent` and `:batchEmbedContents`. */
export async function handleGeminiEmbeddings(context: RequestContext, batch: boolean): Promise<void> {
  if (!authorize(context)) return;
  const body = await readJsonBody(context);
  if (body === undefined) return;
  const requests = parseRequest(context, () => parseGeminiEmbeddings(body.value, batch));
  if (requests === undefined) return;

  const embeddings = requests.map((request) => ({ values: embedText(request.texts.join('\n'), request.dimensions) }));
  context.stats.recordOutcome('gemini', 'ok');
  sendOk(context, batch ? { embeddings } : { embedding: embeddings[0] });
}

function sendOk(context: RequestContext, body: object): void {
  const headers = context.dialect.responseHeaders(context.requestId, context.startedAt);
  sendJson(context.res, 200, headers, JSON.stringify(body));
}
