/**
 * Exact money arithmetic of LLM calls. Prices are numeric(14, 6) USD per million tokens; each is
 * held as integer micro-USD per million tokens, so a cost is integer arithmetic (BigInt), never
 * floats. A cost is rounded up to the next micro-USD: a call is never charged less than it used.
 */

/** A decimal with at most 6 fraction digits, as PostgreSQL prints numeric(14, 6) ("0.150000"). */
const DECIMAL_PATTERN = /^(\d{1,8})(?:\.(\d{1,6}))?$/;

/** USD per million tokens, as a decimal string, to integer micro-USD per million tokens. */
export function parseUsdPerMtok(decimal: string): number {
  const match = DECIMAL_PATTERN.exec(decimal);
  if (!match) throw new RangeError(`not a price of at most 8 integer and 6 fraction digits: ${decimal}`);
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(6, '0');
  return Number(whole) * 1_000_000 + Number(fraction);
}

/** Integer micro-USD per million tokens back to a decimal string with 6 fraction digits. */
export function formatUsdPerMtok(microPerMtok: number): string {
  if (!Number.isSafeInteger(microPerMtok) || microPerMtok < 0)
    throw new RangeError(`not a non-negative integer: ${microPerMtok}`);
  const whole = Math.floor(microPerMtok / 1_000_000);
  const fraction = String(microPerMtok % 1_000_000).padStart(6, '0');
  return `${whole}.${fraction}`;
}

/** The three rates of a price, in integer micro-USD per million tokens. */
export interface PriceRates {
  inputMicroUsdPerMtok: number;
  outputMicroUsdPerMtok: number;
  cachedInputMicroUsdPerMtok: number;
}

export interface TokenCounts {
  tokensIn: number;
  tokensOut: number;
  /** The part of tokensIn served from the provider's prompt cache. */
  tokensCached: number;
}

const MTOK = 1_000_000n;

function tokenCount(name: string, value: number): bigint {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer: ${value}`);
  return BigInt(value);
}

/**
 * Cost of a call in integer micro-USD: ceil(((in − cached) × input + cached × cachedInput +
 * out × output) / 10^6) with rates in micro-USD per million tokens. Cached tokens above tokensIn
 * (a provider miscount) are capped at tokensIn, so the cost is never negative.
 */
export function costMicroUsd(price: PriceRates, tokens: TokenCounts): number {
  const tokensIn = tokenCount('tokensIn', tokens.tokensIn);
  const tokensOut = tokenCount('tokensOut', tokens.tokensOut);
  const cachedRaw = tokenCount('tokensCached', tokens.tokensCached);
  const cached = cachedRaw > tokensIn ? tokensIn : cachedRaw;
  const total =
    (tokensIn - cached) * tokenCount('inputMicroUsdPerMtok', price.inputMicroUsdPerMtok) +
    cached * tokenCount('cachedInputMicroUsdPerMtok', price.cachedInputMicroUsdPerMtok) +
    tokensOut * tokenCount('outputMicroUsdPerMtok', price.outputMicroUsdPerMtok);
  const cost = (total + MTOK - 1n) / MTOK;
  if (cost > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`cost out of range: ${cost} micro-USD`);
  return Number(cost);
}
