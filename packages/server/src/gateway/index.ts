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
  GatewayCallOptions,
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
export {
  MODEL_KINDS,
  listCatalogModels,
  findCatalogModels,
  getCatalogModel,
  putCatalogModel,
} from './model-store.ts';
export type { ModelKind, ModelRef, LlmModel } from './model-store.ts';
export {
  PRICE_SOURCES,
  effectivePrices,
  listModelPrices,
  putTenantPrice,
  listTenantPrices,
  deleteTenantPrices,
  addCatalogPrice,
  listCatalogPrices,
} from './price-store.ts';
export type {
  PriceSource,
  UsdPerMtok,
  EffectivePrice,
  ModelPrice,
  CatalogPrice,
  TenantPrice,
  PriceInput,
} from './price-store.ts';
export { listAliases, findAlias, getAlias, putAlias, deleteAlias } from './alias-store.ts';
export type { ModelAlias, AliasWarning, PutAliasResult } from './alias-store.ts';
export { createGateway, DEFAULT_GATEWAY_OPTIONS } from './gateway.ts';
export type { GatewayDeps, GatewayOptions } from './gateway.ts';
export { openGateway, secretSources } from './open-gateway.ts';
export type { BudgetPort, BudgetRequest, BudgetReservation } from './budget-port.ts';
export { createProviders } from './providers/registry.ts';
export type { ProvidersOptions } from './providers/registry.ts';
export { createTokenCounter } from './tokens.ts';
export type { TokenCounter } from './tokens.ts';
export { countTokens, estimateChatTokens } from './tokens.ts';
export { createOpenAiProvider } from './providers/openai.ts';
export type { OpenAiProviderOptions } from './providers/openai.ts';
export {
  createAnthropicProvider,
  ANTHROPIC_VERSION,
  ANTHROPIC_DEFAULT_MAX_TOKENS,
} from './providers/anthropic.ts';
export type { AnthropicProviderOptions } from './providers/anthropic.ts';
export { createSimulatedProvider, SIMULATED_FINGERPRINT } from './providers/simulated.ts';
export type { SimulatedProviderOptions } from './providers/simulated.ts';
export { SimulatedOptionsSchema } from './providers/simulated-options.ts';
export type { SimulatedOptions } from './providers/simulated-options.ts';
