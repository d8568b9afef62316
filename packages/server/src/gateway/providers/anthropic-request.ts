import { ProviderError } from './provider.ts';
import type { ChatMessage, ChatRequest, ContentPart, ToolChoice, ToolDefinition } from './provider.ts';

/** Anthropic requires `max_tokens`; this is the budget of a request that names none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

export type AnthropicBlock =
  | { type: 'text'; text: string }
  | {
      type: 'image';
      source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
    }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: string };

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | AnthropicBlock[];
}

export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: string;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  tools?: { name: string; description?: string; input_schema: Record<string, unknown> }[];
  tool_choice?: { type: 'auto' } | { type: 'any' } | { type: 'none' } | { type: 'tool'; name: string };
  metadata?: { user_id: string };
  stream?: boolean;
}

/** Translates an OpenAI chat request into an Anthropic Messages request. */
export function toAnthropicRequest(request: ChatRequest): AnthropicRequest {
  const system: string[] = [];
  const messages: { role: 'user' | 'assistant'; blocks: AnthropicBlock[] }[] = [];

  // Anthropic wants alternating turns with tool results in the user turn after the tool call:
  // consecutive messages of one role become one turn.
  const push = (role: 'user' | 'assistant', blocks: AnthropicBlock[]): void => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last && last.role === role) last.blocks.push(...blocks);
    else messages.push({ role, blocks });
  };

  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = plainText(message.content);
        if (text) system.push(text);
        break;
      }
      case 'user':
        push('user', contentBlocks(message.content));
        break;
      case 'assistant':
        push('assistant', [...contentBlocks(message.content), ...toolUseBlocks(message)]);
        break;
      case 'tool':
        if (message.tool_call_id === undefined) {
          throw new ProviderError(
            'bad_request',
            'a tool message needs the tool_call_id of the call it answers',
          );
        }
        push('user', [
          { type: 'tool_result', tool_use_id: message.tool_call_id, content: plainText(message.content) },
        ]);
        break;
      default:
        assertNever(message.role);
    }
  }

  const instruction = jsonInstruction(request);
  if (instruction) system.push(instruction);

  const stop =
    request.stop === undefined ? [] : typeof request.stop === 'string' ? [request.stop] : request.stop;
  const body: AnthropicRequest = {
    model: request.model,
    max_tokens: request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages: messages.map(({ role, blocks }) => ({
      role,
      content: blocks.length === 1 && blocks[0]?.type === 'text' ? blocks[0].text : blocks,
    })),
  };
  if (system.length > 0) body.system = system.join('\n\n');
  // OpenAI's temperature runs 0..2, Anthropic's 0..1: hotter requests are sent as hot as allowed.
  if (request.temperature !== undefined) body.temperature = Math.min(request.temperature, 1);
  if (request.top_p !== undefined) body.top_p = request.top_p;
  if (stop.length > 0) body.stop_sequences = stop;
  if (request.tools?.length) body.tools = request.tools.map(toAnthropicTool);
  if (request.tool_choice !== undefined && request.tools?.length)
    body.tool_choice = toAnthropicToolChoice(request.tool_choice);
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  return body;
}

function plainText(content: string | ContentPart[] | null): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .filter((part): part is Extract<ContentPart, { type: 'text' }> => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

function contentBlocks(content: string | ContentPart[] | null): AnthropicBlock[] {
  if (content === null || content === '') return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part): AnthropicBlock => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const url = part.image_url.url;
    const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
    if (data?.[1] !== undefined && data[2] !== undefined) {
      return { type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } };
    }
    return { type: 'image', source: { type: 'url', url } };
  });
}

function toolUseBlocks(message: ChatMessage): AnthropicBlock[] {
  return (message.tool_calls ?? []).map((call) => {
    let input: unknown;
    try {
      input = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
    } catch (error) {
      throw new ProviderError(
        'bad_request',
        `the arguments of tool call ${call.id} (${call.function.name}) are not JSON`,
        {},
        { cause: error },
      );
    }
    return { type: 'tool_use', id: call.id, name: call.function.name, input };
  });
}

function toAnthropicTool(tool: ToolDefinition): NonNullable<AnthropicRequest['tools']>[number] {
  return {
    name: tool.function.name,
    ...(tool.function.description === undefined ? {} : { description: tool.function.description }),
    input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
  };
}

function toAnthropicToolChoice(choice: ToolChoice): NonNullable<AnthropicRequest['tool_choice']> {
  if (typeof choice === 'object') return { type: 'tool', name: choice.function.name };
  switch (choice) {
    case 'auto':
      return { type: 'auto' };
    case 'required':
      return { type: 'any' };
    case 'none':
      return { type: 'none' };
    default:
      return assertNever(choice);
  }
}

/**
 * Anthropic has no JSON mode: `json_object` and `json_schema` are emulated by an instruction in
 * the system prompt, so the answer is JSON in practice but not guaranteed by the upstream.
 */
function jsonInstruction(request: ChatRequest): string | undefined {
  const format = request.response_format;
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') {
    return 'Respond with one valid JSON object and nothing else: no prose, no code fences.';
  }
  const schema =
    format.json_schema.schema === undefined
      ? ''
      : ` It must match this JSON Schema: ${JSON.stringify(format.json_schema.schema)}`;
  return `Respond with one valid JSON value named "${format.json_schema.name}" and nothing else: no prose, no code fences.${schema}`;
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
