/**
 * IP address literals, parsed the way the most lenient consumer would read them, so that no
 * spelling of an address slips past the classifier: IPv4 in inet_aton's forms (`127.1`,
 * `2130706433`, `0177.0.0.1`, `0x7f.1`) and IPv6 with an embedded IPv4 tail, a zone id,
 * brackets, a trailing dot and any case.
 */
export type IpFamily = 4 | 6;

/** An address as a number: 32 bits for IPv4, 128 bits for IPv6. */
export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export const IPV4_BITS = 32;
export const IPV6_BITS = 128;

/** The address a literal denotes, or null when the text is not an IP address literal. */
export function parseIpAddress(text: string): IpAddress | null {
  // Longer than any spelling of an address: refuse before doing work on it.
  if (text.length > 256) return null;
  let literal = text.toLowerCase();
  if (literal.startsWith('[') && literal.endsWith(']')) {
    const value = parseIpv6(literal.slice(1, -1));
    return value === null ? null : { family: 6, value };
  }
  if (literal.includes(':')) {
    const value = parseIpv6(literal);
    return value === null ? null : { family: 6, value };
  }
  if (literal.endsWith('.')) literal = literal.slice(0, -1);
  const value = parseIpv4(literal);
  return value === null ? null : { family: 4, value };
}

/** inet_aton: one to four parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest. */
function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const numbers: bigint[] = [];
  for (const part of parts) {
    const number = parseIpv4Part(part);
    if (number === null) return null;
    numbers.push(number);
  }
  const last = numbers.pop();
  if (last === undefined || last >= 1n << BigInt(8 * (4 - numbers.length))) return null;
  let value = 0n;
  for (const [index, number] of numbers.entries()) {
    if (number > 255n) return null;
    value |= number << BigInt(8 * (3 - index));
  }
  return value | last;
}

function parseIpv4Part(part: string): bigint | null {
  if (/^0x[0-9a-f]*$/.test(part)) return part.length === 2 ? 0n : BigInt(part);
  if (/^0[0-7]+$/.test(part)) return BigInt(`0o${part.slice(1)}`);
  if (/^(?:0|[1-9][0-9]*)$/.test(part)) return BigInt(part);
  return null;
}

/** A strict dotted quad, as the tail of an IPv6 literal allows (no leading zeros: ambiguous). */
function parseDottedQuad(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  let address = text;
  const zone = address.indexOf('%');
  if (zone !== -1) {
    // The zone only scopes a link-local address; the address alone decides its class.
    if (!/^[0-9a-z._~-]+$/.test(address.slice(zone + 1).replace(/^25/, ''))) return null;
    address = address.slice(0, zone);
  }
  const groups: string[] = [];
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    const ipv4 = parseDottedQuad(tail);
    if (ipv4 === null) return null;
    address = `${address.slice(0, lastColon + 1)}${(ipv4 >> 16n).toString(16)}:${(ipv4 & 0xffffn).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves[1] === undefined ? null : halves[1] ? halves[1].split(':') : [];
  if (rest === null ? head.length !== 8 : head.length + rest.length > 7) return null;
  groups.push(...head);
  if (rest !== null) groups.push(...Array<string>(8 - head.length - rest.length).fill('0'), ...rest);
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return value;
}

/** The canonical text of an address: dotted quad, or RFC 5952 IPv6 (longest zero run as `::`). */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((address.value >> shift) & 0xffn).toString()).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, index) =>
    Number((address.value >> BigInt(16 * (7 - index))) & 0xffffn),
  );
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Whether a host name would be read as a number by a URL parser (WHATWG "ends in a number"). */
export function endsInNumber(hostname: string): boolean {
  const labels = hostname.replace(/\.$/, '').split('.');
  const last = labels[labels.length - 1] ?? '';
  return /^(?:[0-9]+|0x[0-9a-f]*)$/i.test(last);
}
