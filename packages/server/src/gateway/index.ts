export {
  AliasSpecSchema,
  AliasCandidateSchema,
  ROUTING_STRATEGIES,
  MIN_TIER,
  MAX_TIER,
  ALIAS_NAME_PATTERN,
  MODEL_REF_PATTERN,
  splitModelRef,
} from './alias-spec.ts';
export type { AliasSpec, AliasSpecInput, AliasCandidate, RoutingStrategy } from './alias-spec.ts';
export type {
  Gateway,
  GatewayCaller,
  GatewayChatRequest,
  GatewayChatResult,
  GatewayChatStream,
  GatewayEmbeddingRequest,
  GatewayEmbeddingResult,
  CallAttempt,
  CallSummary,
  ListedModel,
} from './gateway-types.ts';
export { PROVIDER_KINDS, PROVIDER_FAILURES, FALLBACK_FAILURES, ProviderError } from './providers/provider.ts';
export type {
  ProviderKind,
  ProviderFailure,
  ProviderConnection,
  LlmProvider,
  ChatRequest,
  ChatResponse,
  ChatChunk,
  ChatStream,
  ChatMessage,
  ChatResult,
  ToolCall,
  ToolDefinition,
  ToolChoice,
  ResponseFormat,
  Usage,
  EmbeddingRequest,
  EmbeddingResponse,
  CallOptions,
} from './providers/provider.ts';
export { GATEWAY_ERRORS, GatewayError } from './errors.ts';
export type { GatewayErrorCode } from './errors.ts';
export { costMicroUsd, parseUsdPerMtok, formatUsdPerMtok } from './cost.ts';
export type { PriceRates, TokenCounts } from './cost.ts';
