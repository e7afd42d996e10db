import { authorize } from './auth.js';
import type { RequestContext } from './context.js';
import { renderGeminiModel } from './gemini/response.js';
import { sendJson } from './http.js';
import { renderOpenAIModel, renderOpenAIModels } from './openai/response.js';
import type { ApiName } from './scenario.js';

/** Models each API lists. Any other model name works too: the simulator serves every model. */
const listedModels: Record<ApiName, readonly string[]> = {
  openai: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'o4-mini', 'text-embedding-3-small'],
  anthropic: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'],
  gemini: ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-embedding-001'],
};

/** `GET /v1/models`, `GET /v1beta/models` and one model by name, in each API's format. */
export function handleModels(context: RequestContext, model: string | undefined): void {
  if (!authorize(context)) return;
  const { api } = context.dialect;
  context.stats.recordOutcome(api, 'ok');

  const headers = context.dialect.responseHeaders(context.requestId, context.startedAt);
  sendJson(context.res, 200, headers, JSON.stringify(model === undefined ? renderList(api) : renderModel(api, model)));
}

function renderList(api: ApiName): object {
  const names = listedModels[api];
  switch (api) {
    case 'openai':
      return renderOpenAIModels(names);
    case 'anthropic':
      return { data: names.map(renderAnthropicModel), has_more: false, first_id: names[0], last_id: names[names.length - 1] };
    case 'gemini':
      return { models: names.map(renderGeminiModel) };
  }
}

function renderModel(api: ApiName, model: string): object {
  switch (api) {
    case 'openai':
      return renderOpenAIModel(model);
    case 'anthropic':
      return renderAnthropicModel(model);
    case 'gemini':
      return renderGeminiModel(model);
  }
}

function renderAnthropicModel(id: string): object {
  return { type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' };
}
