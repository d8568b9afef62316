import { ADDRESS_KINDS, type AddressKind } from './address-class.ts';
import { compileAllowList, type AllowListEntries, type CompiledAllowList } from './allow-list.ts';
import { tcpConnector, type Connector } from './connector.ts';
import { NEVER_ALLOWED_KINDS } from './destination-policy.ts';
import { systemResolver, type Resolver } from './resolver.ts';

/** The largest body any step may ask for; HTTP_MAX_RESPONSE_BYTES in the workflow format. */
export const HTTP_RESPONSE_BYTES_CEILING = 10 * 1024 * 1024;

/**
 * A tenant's allow-list: fixed entries, or a function the engine backs with tenant settings.
 * A function is called once per attempt, so a settings change applies to the next attempt.
 */
export type AllowListSource =
  AllowListEntries | ((tenantId: string) => AllowListEntries | Promise<AllowListEntries>);

export interface HttpStepOptions {
  /** Destinations that may be reached although they are not public (see allow-list.ts). */
  allowList?: AllowListSource;
  /**
   * Address kinds no allow-list can open, added to the ones that never can (unspecified, metadata,
   * link-local, multicast, broadcast). A shared deployment may add `loopback`, so that no tenant
   * can list the worker's own services.
   */
  neverAllow?: readonly AddressKind[];
  /** Default: the system resolver (getaddrinfo). Tests inject answers here. */
  resolve?: Resolver;
  /** Default: a plain TCP connection to the vetted address. */
  connect?: Connector;
  /** Redirects followed before HTTP_TOO_MANY_REDIRECTS; default 5, at most 20. */
  maxRedirects?: number;
  /** When the step sets no timeout; default 30 s. */
  defaultTimeoutMs?: number;
  /** The longest timeout a step may set; default 5 min. */
  maxTimeoutMs?: number;
  /** When the step sets no maxResponseBytes; default 1 MiB. */
  defaultMaxResponseBytes?: number;
  /** The deployment's cap on maxResponseBytes; default and at most 10 MiB. */
  maxResponseBytes?: number;
  /** Sent when the step sets no User-Agent. */
  userAgent?: string;
  /** Extra trust anchors (PEM) for https, e.g. the private CA of a tenant's VPC. */
  ca?: string | readonly string[];
}

export interface CompiledHttpStepOptions {
  readonly allowList:
    CompiledAllowList | ((tenantId: string) => AllowListEntries | Promise<AllowListEntries>);
  readonly neverAllow: ReadonlySet<AddressKind>;
  readonly resolve: Resolver;
  readonly connect: Connector;
  readonly maxRedirects: number;
  readonly defaultTimeoutMs: number;
  readonly maxTimeoutMs: number;
  readonly defaultMaxResponseBytes: number;
  readonly maxResponseBytes: number;
  readonly userAgent: string;
  readonly ca: readonly string[] | undefined;
}

function integerIn(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < min || result > max) {
    throw new RangeError(`http step option ${name} must be an integer from ${min} to ${max}, not ${result}`);
  }
  return result;
}

/** Validates, defaults and freezes the options once, at the composition root. */
export function compileHttpStepOptions(options: HttpStepOptions = {}): CompiledHttpStepOptions {
  const maxResponseBytes = integerIn(
    'maxResponseBytes',
    options.maxResponseBytes,
    HTTP_RESPONSE_BYTES_CEILING,
    1,
    HTTP_RESPONSE_BYTES_CEILING,
  );
  const maxTimeoutMs = integerIn('maxTimeoutMs', options.maxTimeoutMs, 300_000, 1, 3_600_000);
  const neverAllow = options.neverAllow ?? NEVER_ALLOWED_KINDS;
  for (const kind of neverAllow) {
    if (!ADDRESS_KINDS.includes(kind) || kind === 'public')
      throw new RangeError(`http step option neverAllow: ${kind}`);
  }
  const source = options.allowList ?? [];
  return Object.freeze({
    allowList: typeof source === 'function' ? source : compileAllowList(source),
    neverAllow: new Set([...NEVER_ALLOWED_KINDS, ...neverAllow]),
    resolve: options.resolve ?? systemResolver,
    connect: options.connect ?? tcpConnector,
    maxRedirects: integerIn('maxRedirects', options.maxRedirects, 5, 0, 20),
    defaultTimeoutMs: integerIn('defaultTimeoutMs', options.defaultTimeoutMs, 30_000, 1, maxTimeoutMs),
    maxTimeoutMs,
    defaultMaxResponseBytes: integerIn(
      'defaultMaxResponseBytes',
      options.defaultMaxResponseBytes,
      Math.min(1024 * 1024, maxResponseBytes),
      1,
      maxResponseBytes,
    ),
    maxResponseBytes,
    userAgent: options.userAgent ?? 'Shoal-http-step/1',
    ca:
      options.ca === undefined
        ? undefined
        : Object.freeze(typeof options.ca === 'string' ? [options.ca] : [...options.ca]),
  });
}
