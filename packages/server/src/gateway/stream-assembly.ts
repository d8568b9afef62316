import type { ChatChunk, ChatResponse, FinishReason, ToolCall, Usage } from './providers/provider.ts';

/** Collects a stream's chunks into the answer a plain call would have given. */
export function createChunkAssembler() {
  let head: Pick<ChatChunk, 'id' | 'created' | 'model' | 'system_fingerprint'> | null = null;
  const text: string[] = [];
  const tools: ToolCall[] = [];
  let finish: FinishReason | null = null;
  let usage: Usage | null = null;
  return {
    add(chunk: ChatChunk) {
      head ??= {
        id: chunk.id,
        created: chunk.created,
        model: chunk.model,
        system_fingerprint: chunk.system_fingerprint,
      };
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices) {
        if (choice.index !== 0) continue;
        if (choice.delta.content) text.push(choice.delta.content);
        for (const call of choice.delta.tool_calls ?? []) {
          const known = tools[call.index];
          if (!known) {
            tools[call.index] = {
              id: call.id ?? '',
              type: 'function',
              function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
            };
          } else {
            if (call.id) known.id = call.id;
            if (call.function?.name) known.function.name += call.function.name;
            if (call.function?.arguments) known.function.arguments += call.function.arguments;
          }
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    },
    usage: () => usage,
    response(): ChatResponse {
      const calls = tools.filter(Boolean);
      return {
        id: head?.id ?? '',
        object: 'chat.completion',
        created: head?.created ?? 0,
        model: head?.model ?? '',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: text.length > 0 || calls.length === 0 ? text.join('') : null,
              ...(calls.length > 0 ? { tool_calls: calls } : {}),
            },
            finish_reason: finish ?? 'stop',
          },
        ],
        usage: usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        ...(head?.system_fingerprint ? { system_fingerprint: head.system_fingerprint } : {}),
      };
    },
  };
}

/** A stored answer as the chunks of a stream (a cache hit or an idempotent replay, streamed). */
export function responseToChunks(response: ChatResponse): ChatChunk[] {
  const choice = response.choices[0];
  const base = {
    id: response.id,
    object: 'chat.completion.chunk' as const,
    created: response.created,
    model: response.model,
    ...(response.system_fingerprint ? { system_fingerprint: response.system_fingerprint } : {}),
  };
  const chunks: ChatChunk[] = [
    {
      ...base,
      choices: [
        {
          index: 0,
          delta: {
            role: 'assistant',
            content: choice?.message.content ?? null,
            ...(choice?.message.tool_calls
              ? {
                  tool_calls: choice.message.tool_calls.map((call, index) => ({
                    index,
                    id: call.id,
                    type: 'function' as const,
                    function: { name: call.function.name, arguments: call.function.arguments },
                  })),
                }
              : {}),
          },
          finish_reason: null,
        },
      ],
    },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: choice?.finish_reason ?? 'stop' }] },
    { ...base, choices: [], usage: response.usage },
  ];
  return chunks;
}
