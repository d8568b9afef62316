import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyAddress,
  compileAllowList,
  formatIpAddress,
  parseIpAddress,
  vetDestination,
  type AddressKind,
  type IpAddress,
} from '../../src/steps/http/index.ts';
import { AllowListError, HttpStepError, NEVER_ALLOWED_KINDS } from '../../src/steps/index.ts';
import { TEST_SEED } from '../support/random.ts';

const v4 = (text: string): IpAddress => {
  const parsed = parseIpAddress(text);
  if (parsed === null) throw new Error(`not an address: ${text}`);
  return parsed;
};
const kindOf = (text: string): AddressKind => classifyAddress(v4(text)).kind;

describe('IP literals are read in every spelling a resolver or URL parser accepts', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0177.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0X7F.0X0.0X0.0X1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['0x7f.0.01', '127.0.0.1'],
    ['127.0.0.1.', '127.0.0.1'],
    ['0', '0.0.0.0'],
    ['0x', '0.0.0.0'],
    ['169.254.43518', '169.254.169.254'],
    ['10.1', '10.0.0.1'],
    ['4294967295', '255.255.255.255'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::FFFF:7F00:1', '::ffff:7f00:1'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['64:ff9b::127.0.0.1', '64:ff9b::7f00:1'],
    ['2002:7f00:0001::', '2002:7f00:1::'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[fe80::1%25eth0]', 'fe80::1'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['::', '::'],
  ])('%s is %s', (text, canonical) => {
    expect(formatIpAddress(v4(text))).toBe(canonical);
  });

  it.each([
    '',
    'abc',
    'evil.test',
    '256.0.0.1',
    '1.2.3.256',
    '1.2.65536',
    '1.16777216',
    '4294967296',
    '08.0.0.1',
    '0x7g.1',
    '1..2',
    '1.2.3.4.5',
    '127.0.0.1..',
    ' 127.0.0.1',
    '::1::',
    ':::',
    ':1::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    '::ffff:127.0.0.01',
    '::ffff:0x7f.1',
    '[::1',
    'fe80::1%',
    `${'1'.repeat(300)}`,
  ])('%j is not an address', (text) => {
    expect(parseIpAddress(text)).toBeNull();
  });
});

describe('the classifier names every special-purpose block and reads through embedded IPv4', () => {
  it.each<[string, AddressKind]>([
    ['8.8.8.8', 'public'],
    ['93.184.215.14', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['0.255.255.255', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.255', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.255.255', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.128.0.1', 'public'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['198.18.0.1', 'benchmarking'],
    ['198.20.0.1', 'public'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.1', 'documentation'],
    ['203.0.113.1', 'documentation'],
    ['192.0.0.1', 'reserved'],
    ['192.88.99.1', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.255', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['2606:4700::1111', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['fc00::1', 'unique-local'],
    ['fdff::1', 'unique-local'],
    ['fd00:ec2::254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['2001:2::1', 'benchmarking'],
    ['100::1', 'reserved'],
    ['64:ff9b:1::1', 'private'],
    ['4000::1', 'reserved'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:808:808::1', 'public'],
    ['2002:c0a8:101::1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'reserved'],
  ])('%s is %s', (text, kind) => {
    expect(kindOf(text)).toBe(kind);
  });

  it('reports which embedding it read through', () => {
    expect(classifyAddress(v4('64:ff9b::7f00:1')).embedded).toEqual({
      via: 'nat64',
      address: v4('127.0.0.1'),
    });
    expect(classifyAddress(v4('2002:7f00:1::')).embedded?.via).toBe('6to4');
    expect(classifyAddress(v4('::ffff:7f00:1')).embedded?.via).toBe('ipv4-mapped');
  });
});

describe('allow-list entries', () => {
  it('reads addresses, CIDRs, host names and wildcards, and refuses anything else', () => {
    const list = compileAllowList([
      '10.1.0.0/16',
      '192.168.4.7',
      'fd12::/16',
      'Billing.Internal.Example.',
      '*.corp.example',
      ' 172.20.0.0/14 ',
    ]);
    expect(list.hasAddress(v4('10.1.255.1'))).toBe(true);
    expect(list.hasAddress(v4('10.2.0.1'))).toBe(false);
    expect(list.hasAddress(v4('192.168.4.7'))).toBe(true);
    expect(list.hasAddress(v4('192.168.4.8'))).toBe(false);
    expect(list.hasAddress(v4('fd12:1::1'))).toBe(true);
    expect(list.hasAddress(v4('::ffff:10.1.0.1'))).toBe(true);
    expect(list.hasAddress(v4('172.23.0.1'))).toBe(true);
    expect(list.hasHost('billing.internal.example')).toBe(true);
    expect(list.hasHost('a.corp.example')).toBe(true);
    expect(list.hasHost('a.b.corp.example')).toBe(true);
    expect(list.hasHost('corp.example')).toBe(false);
    expect(list.hasHost('evilcorp.example')).toBe(false);
    expect(list.hasHost('billing.internal.example.evil.test')).toBe(false);
    for (const bad of [
      'http://x.example',
      '10.0.0.0/33',
      '*.',
      'a b',
      '1.2.3.4.5',
      'x.example/path',
      'user@x.example',
      '-x.example',
    ]) {
      expect(() => compileAllowList([bad]), bad).toThrow(AllowListError);
    }
  });
});

// ---- property tests -------------------------------------------------------------------------

/** Special-purpose IPv4 blocks, written out here independently of the implementation's table. */
const NON_PUBLIC_V4: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 8],
  [0x0a000000, 8],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xac100000, 12],
  [0xc0000000, 24],
  [0xc0000200, 24],
  [0xc0586300, 24],
  [0xc0a80000, 16],
  [0xc6120000, 15],
  [0xc6336400, 24],
  [0xcb007100, 24],
  [0xe0000000, 4],
  [0xf0000000, 4],
  // cloud metadata that lives in otherwise public space
  [0xa83f8110, 32],
];
const inBlock = (value: number, [network, prefix]: readonly [number, number]) =>
  prefix === 0 || value >>> (32 - prefix) === network >>> (32 - prefix);

const nonPublicV4 = fc
  .tuple(fc.constantFrom(...NON_PUBLIC_V4), fc.integer({ min: 0, max: 0xffffffff }))
  .map(([[network, prefix], random]) => (prefix === 32 ? network : (network | (random >>> prefix)) >>> 0));
const publicV4 = fc
  .integer({ min: 0, max: 0xffffffff })
  .filter((value) => !NON_PUBLIC_V4.some((block) => inBlock(value, block)));

type Radix = 'dec' | 'oct' | 'hex';
const radix = fc.constantFrom<Radix>('dec', 'oct', 'hex');
const writeNumber = (value: number, how: Radix, zeros: number, upper: boolean): string => {
  if (how === 'dec') return String(value);
  if (how === 'oct') return `0${'0'.repeat(zeros)}${value.toString(8)}`;
  const hex = `${'0'.repeat(zeros)}${value.toString(16)}`;
  return upper ? `0X${hex.toUpperCase()}` : `0x${hex}`;
};
const hex16 = (value: number, upper: boolean) =>
  upper ? value.toString(16).toUpperCase() : value.toString(16);
const dotted = (value: number) => [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');

/** Any spelling of an IPv4 address: inet_aton's short and mixed-radix forms, and IPv6 carriers. */
const spelling = (value: number) =>
  fc
    .record({
      form: fc.constantFrom(
        'parts4',
        'parts3',
        'parts2',
        'parts1',
        'mapped',
        'mapped-hex',
        'translated',
        'nat64',
        '6to4',
        'compatible',
      ),
      radixes: fc.array(radix, { minLength: 4, maxLength: 4 }),
      zeros: fc.integer({ min: 0, max: 3 }),
      upper: fc.boolean(),
      trailingDot: fc.boolean(),
      brackets: fc.boolean(),
      zone: fc.boolean(),
      suffix: fc.integer({ min: 0, max: 0xffff }),
    })
    .map(({ form, radixes, zeros, upper, trailingDot, brackets, zone, suffix }) => {
      const text = ((): string => {
        const [r0, r1, r2, r3] = radixes as [Radix, Radix, Radix, Radix];
        const [a, b, c, d] = [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff) as [
          number,
          number,
          number,
          number,
        ];
        const high = value >>> 16;
        const low = value & 0xffff;
        const ipv4 = (parts: string[]) => `${parts.join('.')}${trailingDot ? '.' : ''}`;
        const ipv6 = (text: string) => {
          const withZone = zone ? `${text}%eth0` : text;
          return brackets ? `[${withZone}]` : withZone;
        };
        switch (form) {
          case 'parts4':
            return ipv4([
              writeNumber(a, r0, zeros, upper),
              writeNumber(b, r1, zeros, upper),
              writeNumber(c, r2, zeros, upper),
              writeNumber(d, r3, zeros, upper),
            ]);
          case 'parts3':
            return ipv4([
              writeNumber(a, r0, zeros, upper),
              writeNumber(b, r1, zeros, upper),
              writeNumber((c << 8) | d, r2, zeros, upper),
            ]);
          case 'parts2':
            return ipv4([writeNumber(a, r0, zeros, upper), writeNumber(value & 0xffffff, r1, zeros, upper)]);
          case 'parts1':
            return ipv4([writeNumber(value, r0, zeros, upper)]);
          case 'mapped':
            return ipv6(`${upper ? '::FFFF' : '::ffff'}:${dotted(value)}`);
          case 'mapped-hex':
            return ipv6(`0:0:0:0:0:${upper ? 'FFFF' : 'ffff'}:${hex16(high, upper)}:${hex16(low, upper)}`);
          case 'translated':
            return ipv6(`::ffff:0:${hex16(high, upper)}:${hex16(low, upper)}`);
          case 'nat64':
            return ipv6(
              zeros % 2
                ? `64:ff9b::${dotted(value)}`
                : `64:FF9B:0:0:0:0:${hex16(high, upper)}:${hex16(low, upper)}`,
            );
          case '6to4':
            return ipv6(
              `2002:${hex16(high, upper)}:${hex16(low, upper)}:${hex16(suffix, upper)}::${hex16(suffix, upper)}`,
            );
          case 'compatible':
            return ipv6(`::${dotted(value)}`);
        }
        throw new Error(`unknown form ${form satisfies never}`);
      })();
      return { form, text };
    });

const spelledNonPublic = nonPublicV4.chain((value) => spelling(value).map((spelt) => ({ value, ...spelt })));

describe('the classifier, by property', () => {
  const params = { seed: TEST_SEED, numRuns: 2000 };

  it('refuses any address in a non-public IPv4 block, however it is written', () => {
    fc.assert(
      fc.property(spelledNonPublic, ({ text }) => {
        const address = parseIpAddress(text);
        expect(address, text).not.toBeNull();
        expect(classifyAddress(address as IpAddress).kind, text).not.toBe('public');
      }),
      params,
    );
  });

  it('reads the same IPv4 address out of every spelling', () => {
    fc.assert(
      fc.property(
        publicV4.chain((value) => spelling(value).map((spelt) => ({ value, ...spelt }))),
        ({ value, text, form }) => {
          const address = parseIpAddress(text) as IpAddress;
          const { kind, embedded } = classifyAddress(address);
          const inner = address.family === 4 ? address : embedded?.address;
          expect(inner && formatIpAddress(inner), text).toBe(dotted(value));
          // Only the deprecated IPv4-compatible form is refused for a public address.
          expect(kind, text).toBe(form === 'compatible' ? 'reserved' : 'public');
        },
      ),
      params,
    );
  });

  it('refuses a host name whose resolver answers a non-public address in any spelling', async () => {
    await fc.assert(
      fc.asyncProperty(spelledNonPublic, async ({ text }) => {
        const answer = text.replace(/^\[(.*)\]$/, '$1');
        const policy = { resolve: async () => [answer], neverAllow: new Set(NEVER_ALLOWED_KINDS) };
        const refusal = await vetDestination(
          policy,
          compileAllowList([]),
          new URL('http://p.test/'),
          new AbortController().signal,
        ).then(
          () => null,
          (error: unknown) => error,
        );
        expect(refusal, text).toBeInstanceOf(HttpStepError);
        expect((refusal as HttpStepError).code).toBe('HTTP_DESTINATION_FORBIDDEN');
      }),
      { ...params, numRuns: 500 },
    );
  });
});
