import { IPV4_BITS, IPV6_BITS, parseIpAddress, type IpAddress, type IpFamily } from './ip-address.ts';

/** A block of addresses: the network (host bits cleared) and the prefix length. */
export interface Cidr {
  family: IpFamily;
  network: bigint;
  prefix: number;
}

const bitsOf = (family: IpFamily): number => (family === 4 ? IPV4_BITS : IPV6_BITS);

function maskOf(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(bitsOf(family));
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address (a /32 or /128); host bits are cleared. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash));
  if (address === null) return null;
  const bits = bitsOf(address.family);
  if (slash === -1) return { family: address.family, network: address.value, prefix: bits };
  const prefixText = text.slice(slash + 1);
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > bits) return null;
  const prefix = Number(prefixText);
  return { family: address.family, network: address.value & maskOf(address.family, prefix), prefix };
}

/** Parses a CIDR written in this module's own tables; a typo there is a programming error. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (parsed === null) throw new Error(`Invalid CIDR ${text}`);
  return parsed;
}

export function cidrContains(block: Cidr, address: IpAddress): boolean {
  return (
    block.family === address.family && (address.value & maskOf(block.family, block.prefix)) === block.network
  );
}
