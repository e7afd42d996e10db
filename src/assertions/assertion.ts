import type { AssertionKind, EmbeddingSpec, ExpectSpec, JudgeTargetSpec, Message } from '../api/types.js';
import type { ChatResponse } from '../providers/provider.js';
import type { AssertionErrorReason, FailureReason } from '../reasons.js';
import type { ModelPrice } from '../signals/prices.js';

/** The outcome of one assertion on one answer. */
export interface AssertionResult {
  kind: AssertionKind;
  passed: boolean;
  /** A value between 0 and 1 where the kind has a degree (for example a similarity); absent otherwise. */
  score?: number;
  /** A short explanation for people, without the answer's full text. */
  message: string;
  /**
   * Set when the assertion could not be evaluated, for example because its
   * embeddings request failed. Then passed is false, but the sample does not
   * fail because of it: the fault lies with the assertion, not the model.
   */
  error?: { reason: FailureReason | AssertionErrorReason };
}

/**
 * The one signature every assertion kind implements. `spec` is the whole
 * expect item, already validated, so the kind's own field is set.
 */
export type Assertion = (spec: ExpectSpec, answer: ChatResponse) => AssertionResult;

/** What the engine lends to assertions that call a model of their own. */
export interface AssertionContext {
  /**
   * Embeds texts with the embedding model of the spec, or with the target's
   * provider when the spec names none. Resolves with one vector per text and
   * rejects with a ProbeError. The engine counts each request.
   */
  embed(texts: string[], embedding: EmbeddingSpec | undefined): Promise<number[][]>;
  /** Sends a non-streaming chat request to a model that the spec declares, such as a judge. Rejects with a ProbeError. The engine counts each request. */
  chat(target: JudgeTargetSpec, messages: Message[]): Promise<ChatResponse>;
  /** The messages of the probe that produced the answer. */
  prompt: readonly Message[];
  /** Price of the target's model; undefined when it has none. */
  price?: ModelPrice;
}

/** The signature of assertion kinds that send requests of their own (embeddings, a judge model). */
export type AsyncAssertion = (spec: ExpectSpec, answer: ChatResponse, context: AssertionContext) => Promise<AssertionResult>;
