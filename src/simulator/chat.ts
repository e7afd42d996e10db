import type { CompiledError, CompiledFault, CompiledScenario, CompiledSettings } from './compile-scenario.js';
import type { DelaySampler } from './latency.js';
import type { ApiName, CommonFinishReason, FinishReasonOverride, ModelIdentity } from './scenario.js';
import { cutAtStopSequence, splitPieces, tokenLogprob } from './text.js';

/** A chat request after parsing, in the form every API shares. */
export interface ChatCall {
  api: ApiName;
  model: string;
  stream: boolean;
  /** Text of the last user message: rules match it and the default reply repeats it. */
  lastUserText: string;
  /** Words over all messages, the system prompt included. */
  inputTokens: number;
  maxTokens?: number;
  stopSequences: string[];
  logprobs: boolean;
  topLogprobs: number;
  /** OpenAI streams carry usage only when `stream_options.include_usage` is true. */
  includeStreamUsage: boolean;
}

export type Decision =
  | { type: 'answer' }
  | { type: 'error'; error: CompiledError }
  | { type: 'fault'; fault: CompiledFault };

/** The plan for one chat request: the decision, the delays and the settings in force. */
export interface ChatPlan {
  decision: Decision;
  ruleName?: string;
  /** Delay before the response, or before the first token of a stream, in milliseconds. */
  initialDelayMs: number;
  tokenInterval?: DelaySampler;
  settings: CompiledSettings;
}

/** Finds the first matching rule, merges its settings over the global ones and picks errors and faults. */
export function planChat(scenario: CompiledScenario, call: ChatCall): ChatPlan {
  const rule = scenario.rules.find(
    (candidate) =>
      (candidate.api === undefined || candidate.api === call.api) &&
      (candidate.prompt === undefined || candidate.prompt.test(call.lastUserText)) &&
      (candidate.model === undefined || candidate.model.test(call.model)),
  );
  // compileSettings leaves unset fields out, so the rule's fields override and the rest fall through.
  const settings = rule ? { ...scenario.global, ...rule.settings } : scenario.global;

  const firstDelay = call.stream ? (settings.timeToFirstToken ?? settings.latency) : settings.latency;
  const plan: ChatPlan = {
    decision: decide(settings),
    initialDelayMs: firstDelay ? firstDelay() : 0,
    settings,
  };
  if (rule) plan.ruleName = rule.name;
  if (call.stream && settings.tokenInterval) plan.tokenInterval = settings.tokenInterval;
  return plan;
}

/** Errors first, then faults; each injection counts only the requests that reach it. */
function decide(settings: CompiledSettings): Decision {
  for (const error of settings.errors ?? []) {
    if (error.selector.next()) return { type: 'error', error };
  }
  for (const fault of settings.faults ?? []) {
    if (fault.selector.next()) return { type: 'fault', fault };
  }
  return { type: 'answer' };
}

/** The completion to render, in the form every API shares. */
export interface Completion {
  id: string;
  /** Unix time in seconds. */
  created: number;
  /** The model name reported in the response. */
  model: string;
  systemFingerprint: string;
  modelVersion: string;
  text: string;
  /** The text split into tokens; joined they give `text`. */
  pieces: string[];
  finish: CommonFinishReason;
  /** The API's own finish reason when the scenario sets one. */
  rawFinish?: string;
  stopSequence: string | null;
  inputTokens: number;
  /** The part of inputTokens reported as read from the prompt cache. */
  cachedInputTokens: number;
  /** Tokens of the visible text. */
  outputTokens: number;
  /** Hidden reasoning tokens, as reasoning models spend them. */
  reasoningTokens: number;
  /** One log probability per piece, when the request asked for logprobs. */
  logprobs?: number[];
  topLogprobs: number;
  /** Gemini blocks the prompt itself: no candidates, only promptFeedback. */
  promptBlocked: boolean;
  includeStreamUsage: boolean;
}

/** Budget of hidden reasoning tokens for `emptyLength` when the request sets no maximum. */
const defaultReasoningBudget = 64;

/** Builds the completion for a request from its plan, applying the fault that changes the text, if any. */
export function buildCompletion(call: ChatCall, plan: ChatPlan, id: string): Completion {
  const { settings } = plan;
  const fault = plan.decision.type === 'fault' ? plan.decision.fault : undefined;

  const cut = cutAtStopSequence(settings.reply ?? call.lastUserText, call.stopSequences);
  let pieces = splitPieces(cut.text);
  let finish: CommonFinishReason = 'stop';
  if (call.maxTokens !== undefined && pieces.length > call.maxTokens) {
    pieces = pieces.slice(0, call.maxTokens);
    finish = 'length';
  }

  const completion: Completion = {
    id,
    created: Math.floor(Date.now() / 1000),
    ...identity(call.model, settings.model),
    text: pieces.join(''),
    pieces,
    finish,
    stopSequence: finish === 'stop' ? cut.stopSequence : null,
    inputTokens: call.inputTokens,
    cachedInputTokens: Math.min(settings.cachedTokens ?? 0, call.inputTokens),
    outputTokens: pieces.length,
    reasoningTokens: 0,
    topLogprobs: call.topLogprobs,
    promptBlocked: false,
    includeStreamUsage: call.includeStreamUsage,
  };
  applyFinishOverride(completion, call.api, settings.finishReason);
  if (fault) applyAnswerFault(completion, fault, call.maxTokens ?? defaultReasoningBudget);
  if (call.logprobs) {
    completion.logprobs = completion.pieces.map((piece, index) => settings.logprob ?? tokenLogprob(piece, index));
  }
  return completion;
}

function identity(requestedModel: string, model: ModelIdentity | undefined): Pick<Completion, 'model' | 'systemFingerprint' | 'modelVersion'> {
  return {
    model: model?.responseModel ?? requestedModel,
    systemFingerprint: model?.systemFingerprint ?? 'fp_simulator',
    modelVersion: model?.modelVersion ?? requestedModel,
  };
}

function applyFinishOverride(completion: Completion, api: ApiName, override: FinishReasonOverride | undefined): void {
  if (override === undefined) return;
  if (typeof override === 'string') {
    completion.finish = override;
    return;
  }
  const raw = override[api];
  if (raw !== undefined) completion.rawFinish = raw;
}

/** Applies the faults that change the completion itself rather than its transport. */
function applyAnswerFault(completion: Completion, fault: CompiledFault, reasoningBudget: number): void {
  if (fault.kind !== 'empty' && fault.kind !== 'emptyLength' && fault.kind !== 'contentFilter') return;
  completion.text = '';
  completion.pieces = [];
  completion.outputTokens = 0;
  completion.stopSequence = null;
  delete completion.rawFinish;

  if (fault.kind === 'empty') completion.finish = 'stop';
  if (fault.kind === 'emptyLength') {
    completion.finish = 'length';
    completion.reasoningTokens = reasoningBudget;
  }
  if (fault.kind === 'contentFilter') {
    completion.finish = 'content_filter';
    completion.promptBlocked = fault.blockPrompt;
  }
}
