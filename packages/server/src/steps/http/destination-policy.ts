import { classifyAddress, type AddressKind } from './address-class.ts';
import type { CompiledAllowList } from './allow-list.ts';
import { HttpStepError } from './errors.ts';
import { endsInNumber, formatIpAddress, parseIpAddress, type IpAddress } from './ip-address.ts';
import type { Resolver } from './resolver.ts';

/** Address kinds no allow-list entry can open: nothing a tenant owns lives there. */
export const NEVER_ALLOWED_KINDS: readonly AddressKind[] = [
  'unspecified',
  'metadata',
  'link-local',
  'multicast',
  'broadcast',
];

/** Names of metadata services, refused before they are even resolved. */
const METADATA_HOSTNAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
]);

const isLocalhostName = (hostname: string) => hostname === 'localhost' || hostname.endsWith('.localhost');

/** A destination that passed the policy: connect to `addresses` (in order), never to `hostname`. */
export interface VettedDestination {
  /** Lowercase, without brackets or a trailing dot; the TLS server name when it is not an address. */
  hostname: string;
  isAddressLiteral: boolean;
  addresses: readonly { address: string; family: 4 | 6 }[];
}

export interface DestinationPolicy {
  resolve: Resolver;
  neverAllow: ReadonlySet<AddressKind>;
}

const forbidden = (hostname: string, why: string) =>
  new HttpStepError('HTTP_DESTINATION_FORBIDDEN', `Refused to connect to ${hostname}: ${why}`);

/** The address to dial for a vetted one: an IPv4-mapped IPv6 address is dialled as the IPv4 it maps. */
function dialable(address: IpAddress, kindEmbedded: ReturnType<typeof classifyAddress>['embedded']) {
  const dial = kindEmbedded?.via === 'ipv4-mapped' ? kindEmbedded.address : address;
  return { address: formatIpAddress(dial), family: dial.family };
}

/**
 * Decides whether a URL's host may be reached, after resolving it: every address it resolves to
 * must be public, or listed (by address, or by host name) and of a kind an allow-list may open.
 */
export async function vetDestination(
  policy: DestinationPolicy,
  allowList: CompiledAllowList,
  url: URL,
  signal: AbortSignal,
): Promise<VettedDestination> {
  let hostname = url.hostname.toLowerCase();
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  if (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
  if (hostname === '') throw forbidden('(empty host)', 'no host');

  const literal = parseIpAddress(hostname);
  let addresses: IpAddress[];
  let listedByName = false;
  if (literal !== null) {
    addresses = [literal];
  } else {
    // Something a resolver might still read as an address must not be resolved as a name.
    if (hostname.includes(':') || endsInNumber(hostname)) throw forbidden(hostname, 'not a valid address');
    if (METADATA_HOSTNAMES.has(hostname))
      throw forbidden(hostname, 'a cloud metadata service, which no allow-list can open');
    listedByName = allowList.hasHost(hostname);
    if (!listedByName && isLocalhostName(hostname))
      throw forbidden(hostname, "a loopback name, not on the tenant's allow-list");
    addresses = await resolveAll(policy.resolve, hostname, signal);
  }

  const vetted: VettedDestination['addresses'][number][] = [];
  for (const address of addresses) {
    const { kind, embedded } = classifyAddress(address);
    const shown = formatIpAddress(address);
    const where = shown === hostname ? hostname : `${hostname} (${shown})`;
    if (kind !== 'public') {
      const what = `a ${kind} address${embedded ? ` (${embedded.via})` : ''}`;
      if (policy.neverAllow.has(kind)) throw forbidden(where, `${what}, which no allow-list can open`);
      if (!listedByName && !allowList.hasAddress(address)) {
        throw forbidden(where, `${what}, not on the tenant's allow-list`);
      }
    }
    vetted.push(dialable(address, embedded));
  }
  return { hostname, isAddressLiteral: literal !== null, addresses: vetted };
}

async function resolveAll(resolve: Resolver, hostname: string, signal: AbortSignal): Promise<IpAddress[]> {
  let answers: readonly string[];
  try {
    answers = await resolve(hostname, { signal });
  } catch (error) {
    if (signal.aborted) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    throw new HttpStepError(
      'HTTP_DNS_FAILED',
      `Could not resolve ${hostname}${typeof code === 'string' ? ` (${code})` : ''}`,
      { cause: error },
    );
  }
  if (answers.length === 0) throw new HttpStepError('HTTP_DNS_FAILED', `${hostname} has no addresses`);
  return answers.map((answer) => {
    const address = parseIpAddress(answer);
    // Fail closed: an answer we cannot read is an answer we cannot vet.
    if (address === null)
      throw forbidden(hostname, `it resolved to ${JSON.stringify(answer)}, not an address`);
    return address;
  });
}
