import type { Gateway } from '../../gateway/index.ts';
import type { StepExecutor } from '../step-executor.ts';
import { createLlmChatExecutor } from './chat-executor.ts';
import { createLlmEmbedExecutor } from './embed-executor.ts';

/**
 * The `llm.chat` and `llm.embed` executors, calling through `gateway`. Without one (a worker
 * built without the gateway) they fail every step with LLM_GATEWAY_UNAVAILABLE.
 */
export function createLlmExecutors(gateway: Gateway | null): StepExecutor[] {
  return [createLlmChatExecutor(gateway), createLlmEmbedExecutor(gateway)];
}
