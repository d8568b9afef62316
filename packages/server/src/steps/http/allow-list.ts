import { embeddedIpv4 } from './address-class.ts';
import { cidrContains, parseCidr, type Cidr } from './cidr.ts';
import type { IpAddress } from './ip-address.ts';

/**
 * Destinations a tenant may reach although they are not public, e.g. its own VPC. Each entry is
 * an address or CIDR (`10.1.0.0/16`, `fd12::/16`, `192.168.4.7`), an exact host name
 * (`billing.internal.example`) or a wildcard over its subdomains (`*.corp.example`).
 */
export type AllowListEntries = readonly string[];

export interface CompiledAllowList {
  readonly entries: AllowListEntries;
  /** Whether a host name (lowercase, without a trailing dot) is listed by name. */
  hasHost(hostname: string): boolean;
  /** Whether an address lies in a listed block (an IPv6 address also by the IPv4 address it carries). */
  hasAddress(address: IpAddress): boolean;
}

export class AllowListError extends Error {
  constructor(readonly entry: string) {
    super(`Allow-list entry ${JSON.stringify(entry)} is neither an address, a CIDR nor a host name`);
    this.name = 'AllowListError';
  }
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A host name as URLs spell it (lowercase, IDNA), or null when it is not one. */
function normaliseHostname(text: string): string | null {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name === '' || name.length > 253 || /[/:@?#[\]\\%\s]/.test(name)) return null;
  let hostname: string;
  try {
    hostname = new URL(`http://${name}/`).hostname;
  } catch {
    return null;
  }
  return hostname.split('.').every((label) => LABEL.test(label)) ? hostname : null;
}

/** Validates and compiles entries; throws AllowListError on the first bad one (settings can show it). */
export function compileAllowList(entries: AllowListEntries): CompiledAllowList {
  const blocks: Cidr[] = [];
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of entries) {
    const text = entry.trim().toLowerCase();
    const block = parseCidr(text);
    if (block) {
      blocks.push(block);
      continue;
    }
    const wildcard = text.startsWith('*.');
    const hostname = normaliseHostname(wildcard ? text.slice(2) : text);
    if (hostname === null || /^[0-9.]+$/.test(hostname)) throw new AllowListError(entry);
    if (wildcard) suffixes.push(`.${hostname}`);
    else hosts.add(hostname);
  }
  return Object.freeze({
    entries: Object.freeze([...entries]),
    hasHost: (hostname: string) =>
      hosts.has(hostname) || suffixes.some((suffix) => hostname.endsWith(suffix)),
    hasAddress: (address: IpAddress) => {
      const inner = embeddedIpv4(address)?.address;
      return blocks.some(
        (block) => cidrContains(block, address) || (inner !== undefined && cidrContains(block, inner)),
      );
    },
  });
}

export const EMPTY_ALLOW_LIST: CompiledAllowList = compileAllowList([]);
