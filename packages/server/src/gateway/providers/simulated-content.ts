import type { TokenCounter } from '../tokens.ts';
import { randomInt } from './seeded-random.ts';

/** Common words, most of them one token in o200k_base with or without their leading space. */
const WORDS = [
  'the',
  'a',
  'system',
  'model',
  'answer',
  'data',
  'time',
  'work',
  'team',
  'plan',
  'step',
  'run',
  'result',
  'value',
  'report',
  'user',
  'tenant',
  'request',
  'stream',
  'token',
  'price',
  'budget',
  'call',
  'queue',
  'worker',
  'is',
  'was',
  'will',
  'can',
  'should',
  'must',
  'may',
  'has',
  'had',
  'makes',
  'takes',
  'gives',
  'shows',
  'keeps',
  'finds',
  'needs',
  'sends',
  'reads',
  'writes',
  'checks',
  'returns',
  'builds',
  'starts',
  'ends',
  'moves',
  'holds',
  'of',
  'to',
  'in',
  'for',
  'on',
  'with',
  'from',
  'by',
  'at',
  'about',
  'after',
  'before',
  'over',
  'under',
  'and',
  'but',
  'or',
  'so',
  'then',
  'when',
  'while',
  'because',
  'if',
  'this',
  'that',
  'each',
  'every',
  'some',
  'more',
  'new',
  'old',
  'good',
  'small',
  'large',
  'fast',
  'slow',
  'clear',
  'simple',
  'final',
  'first',
  'last',
  'next',
  'quiet',
  'steady',
  'open',
  'short',
  'long',
  'early',
  'late',
  'again',
  'still',
  'here',
  'there',
  'now',
  'soon',
] as const;

/** Text of words and sentences; `truncated` when `limit` cut it shorter than its drawn length. */
export interface GeneratedText {
  /** The text in the chunks a stream sends, word by word; joined they are the text. */
  pieces: string[];
  text: string;
  truncated: boolean;
}

/**
 * Deterministic sentences of `target` tokens at most (40–120 drawn from the PRNG when the
 * caller gives none), cut to `limit` tokens.
 */
export function generateText(
  random: () => number,
  tokens: TokenCounter,
  limit: number | undefined,
  target = randomInt(random, 40, 120),
): GeneratedText {
  const budget = limit === undefined ? target : Math.min(limit, target);
  const pieces: string[] = [];
  let used = 0;
  let sentenceLeft = 0;
  while (used < budget) {
    const word = pick(random);
    const first = pieces.length === 0;
    const startsSentence = sentenceLeft === 0;
    if (startsSentence) sentenceLeft = randomInt(random, 5, 14);
    let piece = `${first ? '' : ' '}${startsSentence ? capitalise(word) : word}`;
    sentenceLeft -= 1;
    if (sentenceLeft === 0) piece += '.';
    const cost = tokens.countTokens(piece);
    if (used + cost > budget) break;
    pieces.push(piece);
    used += cost;
  }
  // Pieces are pre-tokenizer pieces, so their counts add up; this guards the bound all the same.
  let text = pieces.join('');
  while (pieces.length > 0 && tokens.countTokens(text) > budget) {
    pieces.pop();
    text = pieces.join('');
  }
  return { pieces, text, truncated: limit !== undefined && limit < target };
}

function pick(random: () => number): string {
  return WORDS[Math.floor(random() * WORDS.length)] ?? 'the';
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function words(random: () => number, min: number, max: number): string {
  const count = randomInt(random, min, max);
  return Array.from({ length: count }, () => pick(random)).join(' ');
}

const MAX_DEPTH = 8;

/**
 * A value matching the simple parts of a JSON Schema: `type` (or the first of several),
 * `enum`, `const`, object `properties` (all of them, so `required` holds), array `items` with
 * `minItems`/`maxItems`, string `minLength`/`maxLength` and common formats, number bounds,
 * and the first branch of `anyOf`/`oneOf`/`allOf`. `$ref` and patterns are not followed.
 */
export function generateJsonValue(schema: unknown, random: () => number, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > MAX_DEPTH) return words(random, 1, 3);
  const s = schema as Record<string, unknown>;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[Math.floor(random() * s.enum.length)];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0)
      return generateJsonValue(branches[0], random, depth + 1);
  }
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? s.type[0]) : s.type;
  switch (type) {
    case 'object':
      return generateObject(s, random, depth);
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 1;
      const max = typeof s.maxItems === 'number' ? s.maxItems : Math.max(min, 3);
      const length = randomInt(random, min, Math.max(min, Math.min(max, min + 2)));
      return Array.from({ length }, () =>
        generateJsonValue(s.items ?? { type: 'string' }, random, depth + 1),
      );
    }
    case 'string':
      return generateString(s, random);
    case 'integer': {
      const min = typeof s.minimum === 'number' ? Math.ceil(s.minimum) : 0;
      const max = typeof s.maximum === 'number' ? Math.floor(s.maximum) : min + 100;
      return randomInt(random, min, Math.max(min, max));
    }
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : 0;
      const max = typeof s.maximum === 'number' ? s.maximum : min + 100;
      return Math.round((min + random() * (max - min)) * 100) / 100;
    }
    case 'boolean':
      return random() < 0.5;
    case 'null':
      return null;
    default:
      return typeof s.properties === 'object' && s.properties !== null
        ? generateObject(s, random, depth)
        : words(random, 1, 3);
  }
}

function generateObject(
  schema: Record<string, unknown>,
  random: () => number,
  depth: number,
): Record<string, unknown> {
  const properties =
    typeof schema.properties === 'object' && schema.properties !== null ? schema.properties : {};
  const value: Record<string, unknown> = {};
  for (const [name, propertySchema] of Object.entries(properties)) {
    value[name] = generateJsonValue(propertySchema, random, depth + 1);
  }
  // A required name without a schema of its own still gets a value.
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) {
      if (typeof name === 'string' && !(name in value)) value[name] = words(random, 1, 2);
    }
  }
  return value;
}

function generateString(schema: Record<string, unknown>, random: () => number): string {
  const day = randomInt(random, 1, 28).toString().padStart(2, '0');
  const month = randomInt(random, 1, 12).toString().padStart(2, '0');
  switch (schema.format) {
    case 'date-time':
      return `2024-${month}-${day}T12:00:00Z`;
    case 'date':
      return `2024-${month}-${day}`;
    case 'email':
      return `${pick(random)}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${pick(random)}`;
    case 'uuid':
      return `00000000-0000-4000-8000-${randomInt(random, 0, 0xffffffff).toString(16).padStart(12, '0')}`;
    default: {
      let text = words(random, 1, 4);
      const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
      while (text.length < minLength) text += ` ${pick(random)}`;
      return text.length > maxLength ? text.slice(0, maxLength) : text;
    }
  }
}
