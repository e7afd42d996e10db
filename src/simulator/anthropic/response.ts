import type { Completion } from '../chat.js';
import type { StreamFormat } from '../dialect.js';

function stopReason(completion: Completion): string {
  if (completion.rawFinish !== undefined) return completion.rawFinish;
  switch (completion.finish) {
    case 'stop':
      return completion.stopSequence === null ? 'end_turn' : 'stop_sequence';
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    case 'tool_calls':
      return 'tool_use';
  }
}

function usage(completion: Completion): object {
  return {
    // Anthropic counts cache reads apart from input_tokens.
    input_tokens: completion.inputTokens - completion.cachedInputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: completion.cachedInputTokens,
    output_tokens: completion.outputTokens + completion.reasoningTokens,
    service_tier: 'standard',
  };
}

/** Renders a message as `POST /v1/messages` returns it. Without text, the message has no content blocks. */
export function renderAnthropicChat(completion: Completion): object {
  return {
    id: completion.id,
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content: completion.pieces.length === 0 ? [] : [{ type: 'text', text: completion.text }],
    stop_reason: stopReason(completion),
    stop_sequence: completion.stopSequence,
    usage: usage(completion),
  };
}

/**
 * The Messages stream: message_start, content_block_start, ping, content_block_delta
 * (text_delta) per token, content_block_stop, message_delta with the stop reason and the
 * output tokens, message_stop. Without text there is no content block.
 */
export const anthropicStreamFormat: StreamFormat = {
  contentType: 'text/event-stream; charset=utf-8',
  opening: (completion) => {
    const messageStart = {
      type: 'message_start',
      message: {
        id: completion.id,
        type: 'message',
        role: 'assistant',
        model: completion.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // The API reports 1 output token at the start; message_delta carries the total.
        usage: { ...usage(completion), output_tokens: 1 },
      },
    };
    if (completion.pieces.length === 0) return [messageStart, { type: 'ping' }];
    return [messageStart, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, { type: 'ping' }];
  },
  content: (_completion, text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
  closing: (completion) => {
    const events: object[] = completion.pieces.length === 0 ? [] : [{ type: 'content_block_stop', index: 0 }];
    events.push(
      {
        type: 'message_delta',
        delta: { stop_reason: stopReason(completion), stop_sequence: completion.stopSequence },
        usage: { output_tokens: completion.outputTokens + completion.reasoningTokens },
      },
      { type: 'message_stop' },
    );
    return events;
  },
  frame: (event) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`,
  end: '',
  error: (error) => `event: error\ndata: ${JSON.stringify(error.body)}\n\n`,
};
