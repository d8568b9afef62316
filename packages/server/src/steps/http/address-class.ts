import { cidr, cidrContains, type Cidr } from './cidr.ts';
import type { IpAddress } from './ip-address.ts';

/** What an address is, from IANA's special-purpose registries; only `public` is reachable by default. */
export const ADDRESS_KINDS = [
  'public',
  'unspecified',
  'loopback',
  'private',
  'shared',
  'link-local',
  'unique-local',
  'site-local',
  'multicast',
  'broadcast',
  'benchmarking',
  'documentation',
  'reserved',
  'metadata',
] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

/** How an IPv6 address carries an IPv4 one that decides where a packet really goes. */
export const EMBEDDINGS = ['ipv4-mapped', 'ipv4-compatible', 'ipv4-translated', 'nat64', '6to4'] as const;
export type Embedding = (typeof EMBEDDINGS)[number];

export interface AddressClass {
  kind: AddressKind;
  /** Set when an IPv6 address was classified by the IPv4 address inside it. */
  embedded?: { via: Embedding; address: IpAddress };
}

/**
 * Cloud instance metadata services: AWS, GCP, Azure, OpenStack, DigitalOcean (169.254.169.254),
 * AWS ECS/EKS credentials, Azure WireServer, Alibaba, Oracle (legacy), AWS and GCP over IPv6.
 */
const METADATA: readonly Cidr[] = [
  '169.254.169.254/32',
  '169.254.170.2/32',
  '169.254.170.23/32',
  '168.63.129.16/32',
  '100.100.100.200/32',
  '192.0.0.192/32',
  'fd00:ec2::254/128',
  'fd00:ec2::23/128',
  'fd20:ce::254/128',
].map(cidr);

/** First match wins, so narrower blocks come before the blocks that contain them. */
const IPV4_TABLE: ReadonlyArray<readonly [Cidr, AddressKind]> = (
  [
    ['0.0.0.0/8', 'unspecified'],
    ['10.0.0.0/8', 'private'],
    ['100.64.0.0/10', 'shared'],
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'link-local'],
    ['172.16.0.0/12', 'private'],
    ['192.0.0.0/24', 'reserved'],
    ['192.0.2.0/24', 'documentation'],
    ['192.88.99.0/24', 'reserved'],
    ['192.168.0.0/16', 'private'],
    ['198.18.0.0/15', 'benchmarking'],
    ['198.51.100.0/24', 'documentation'],
    ['203.0.113.0/24', 'documentation'],
    ['224.0.0.0/4', 'multicast'],
    ['255.255.255.255/32', 'broadcast'],
    ['240.0.0.0/4', 'reserved'],
  ] as const
).map(([block, kind]) => [cidr(block), kind] as const);

const IPV6_TABLE: ReadonlyArray<readonly [Cidr, AddressKind]> = (
  [
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['64:ff9b:1::/48', 'private'],
    ['100::/64', 'reserved'],
    ['2001:2::/48', 'benchmarking'],
    ['2001:db8::/32', 'documentation'],
    // Teredo, ORCHID and other IETF protocol assignments: nothing a workflow needs to call.
    ['2001::/23', 'reserved'],
    ['3fff::/20', 'documentation'],
    ['5f00::/16', 'reserved'],
    ['fc00::/7', 'unique-local'],
    ['fe80::/10', 'link-local'],
    ['fec0::/10', 'site-local'],
    ['ff00::/8', 'multicast'],
    ['2000::/3', 'public'],
  ] as const
).map(([block, kind]) => [cidr(block), kind] as const);

/** Where the IPv4 address sits (its lowest bit) inside each embedding prefix. */
const EMBEDDING_TABLE: ReadonlyArray<readonly [Cidr, Embedding, bigint]> = (
  [
    ['::ffff:0:0/96', 'ipv4-mapped', 0n],
    ['::ffff:0:0:0/96', 'ipv4-translated', 0n],
    ['64:ff9b::/96', 'nat64', 0n],
    ['2002::/16', '6to4', 80n],
    // Last: `::` and `::1` are in this block too, and the IPv6 table classifies them first.
    ['::/96', 'ipv4-compatible', 0n],
  ] as const
).map(([block, via, shift]) => [cidr(block), via, shift] as const);

/** The embedded IPv4 address of an IPv6 one, for the embeddings that route to it. */
export function embeddedIpv4(address: IpAddress): AddressClass['embedded'] | undefined {
  if (address.family !== 6) return undefined;
  for (const [block, via, shift] of EMBEDDING_TABLE) {
    if (cidrContains(block, address)) {
      return { via, address: { family: 4, value: (address.value >> shift) & 0xffff_ffffn } };
    }
  }
  return undefined;
}

/** The kind of an address, reading through every IPv6 form that carries an IPv4 address. */
export function classifyAddress(address: IpAddress): AddressClass {
  if (METADATA.some((block) => cidrContains(block, address))) return { kind: 'metadata' };
  if (address.family === 4) {
    const match = IPV4_TABLE.find(([block]) => cidrContains(block, address));
    return { kind: match?.[1] ?? 'public' };
  }
  const special = IPV6_TABLE.find(([block]) => cidrContains(block, address));
  if (special && special[1] !== 'public') return { kind: special[1] };
  const embedded = embeddedIpv4(address);
  if (embedded) {
    const inner = classifyAddress(embedded.address).kind;
    // The deprecated IPv4-compatible form has no legitimate use left: refuse it whatever it holds.
    const kind = inner === 'public' && embedded.via === 'ipv4-compatible' ? 'reserved' : inner;
    return { kind, embedded };
  }
  // Outside 2000::/3 nothing is global unicast today.
  return { kind: special ? 'public' : 'reserved' };
}
