import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BUILTIN_STEP_TYPES,
  createStepTypeRegistry,
  defineStepType,
  validateWorkflowDefinition,
  type StepTypeRegistry,
} from '../../src/workflows/index.ts';

const builtin = createStepTypeRegistry(BUILTIN_STEP_TYPES);

/** One step of `type` with `with`, after a `source` step it may read. */
function check(type: string, withValue: unknown, stepTypes: StepTypeRegistry = builtin) {
  const result = validateWorkflowDefinition(
    {
      name: 'x',
      steps: [
        { id: 'source', type: 'transform', with: { value: [1, 2] } },
        { id: 'subject', type, needs: ['source'], with: withValue },
        { id: 'later', type: 'transform', needs: ['subject'], with: { value: 1 } },
        { id: 'other', type: 'transform', needs: ['subject'], with: { value: 2 } },
      ],
    },
    { stepTypes },
  );
  return result.ok
    ? []
    : result.problems.map((p) => `${p.code} ${p.path.replace('/steps/1/with', '')}: ${p.message}`);
}

const VALID: Record<string, unknown[]> = {
  transform: [
    { value: 1 },
    { value: { a: '{{ input.a }}', list: ['{{ steps.source.output }}'] } },
    { value: null },
  ],
  http: [
    { url: 'https://api.example.com/v1/items' },
    {
      method: 'POST',
      url: 'https://api.example.com/users/{{ input.userId }}',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer {{ env.token }}' },
      query: { page: 2, q: '{{ input.q }}', all: true },
      body: { items: '{{ steps.source.output }}' },
      responseType: 'json',
      maxResponseBytes: 65536,
      timeout: '10s',
      followRedirects: false,
      failOnHttpError: false,
    },
    { url: '{{ input.url }}' },
  ],
  map: [
    { items: '{{ steps.source.output }}', step: { type: 'transform', with: { value: '{{ item * 2 }}' } } },
    {
      items: [1, 2, 3],
      concurrency: 4,
      step: {
        type: 'workflow',
        with: { name: 'child', input: { n: '{{ item }}', i: '{{ index }}' } },
        retry: { maxAttempts: 2 },
        timeout: '1m',
      },
    },
    {
      items: '{{ input.list }}',
      concurrency: '{{ input.parallel }}',
      step: { type: 'http', with: { url: 'https://x.example/{{ item }}' } },
    },
  ],
  branch: [
    { cases: [{ when: '{{ input.amount > 100 }}', next: ['later'] }], default: ['other'] },
    { cases: [{ when: true, next: ['later', 'other'] }] },
  ],
  sleep: [
    { duration: '30s' },
    { duration: '1h30m' },
    { until: '2030-01-01T00:00:00Z' },
    { until: '{{ input.wakeAt }}' },
  ],
  approval: [
    { title: 'Ship it?' },
    {
      title: 'Refund {{ input.amount }}?',
      description: 'Over the limit',
      details: { order: '{{ input.order }}' },
      timeout: '2d',
      default: 'reject',
    },
  ],
  workflow: [{ name: 'child' }, { name: 'child', version: 3, input: { a: '{{ input.a }}' } }],
  task: [
    { queue: 'image-resize' },
    { queue: 'ml.embed_v2', input: { url: '{{ input.url }}' }, heartbeatTimeout: '30s' },
  ],
  'llm.chat': [
    { model: 'fast', prompt: 'Summarize {{ steps.source.output }}' },
    {
      model: 'simulated/sim-small',
      system: 'You are terse.',
      prompt: 'Title for {{ input.text }}',
      maxTokens: 200,
      temperature: 0.3,
      tier: 3,
      cache: true,
      output: { schema: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } } },
    },
    {
      model: '{{ input.model }}',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: '{{ input.question }}' },
      ],
      maxTokens: '{{ input.budget }}',
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
      toolChoice: 'auto',
    },
    {
      model: 'gpt-4o-mini',
      messages: '{{ input.history }}',
      output: { schema: { type: 'array' }, retries: 0 },
    },
  ],
  'llm.embed': [
    { model: 'simulated/sim-embed', input: 'one text' },
    { model: 'openai/text-embedding-3-small', input: ['{{ input.a }}', 'b'], dimensions: 256 },
    { model: 'emb', input: '{{ steps.source.output }}', dimensions: '{{ input.dims }}' },
  ],
};

describe('built-in step types', () => {
  it('every built-in type has valid examples here', () => {
    expect(Object.keys(VALID).sort()).toEqual(BUILTIN_STEP_TYPES.map((s) => s.type).sort());
  });

  it.each(
    Object.entries(VALID).flatMap(([type, examples]) => examples.map((example) => [type, example] as const)),
  )('a %s step accepts %j', (type, example) => {
    expect(check(type, example)).toEqual([]);
  });

  it.each([
    ['transform', {}, ['WITH_INVALID /value: is required']],
    [
      'transform',
      { value: 1, extra: 2 },
      ['WITH_INVALID /extra: Unknown field "extra" for step type transform'],
    ],
    ['http', {}, ['WITH_INVALID /url: is required']],
    [
      'http',
      { url: 'ftp://example.com' },
      ['WITH_INVALID /url: must be an absolute http:// or https:// URL'],
    ],
    [
      'http',
      { url: 'https://x.example', method: 'FETCH' },
      ['WITH_INVALID /method: Invalid option: expected one of "GET"|"HEAD"|"POST"|"PUT"|"PATCH"|"DELETE"'],
    ],
    [
      'http',
      { url: 'https://x.example', body: { a: 1 } },
      ['WITH_INVALID /body: is not allowed with GET or HEAD'],
    ],
    [
      'http',
      { url: 'https://x.example', headers: { Host: 'internal' } },
      ['WITH_INVALID /headers/Host: is set by Shoal and cannot be set here'],
    ],
    [
      'http',
      { url: 'https://x.example', headers: { 'bad header': 'x' } },
      ['WITH_INVALID /headers/bad header: must be an HTTP header name'],
    ],
    [
      'http',
      { url: 'https://x.example', maxResponseBytes: 50_000_000 },
      ['WITH_INVALID /maxResponseBytes: Too big: expected number to be <=10485760'],
    ],
    ['map', { items: [1] }, ['WITH_INVALID /step: is required']],
    [
      'map',
      { items: 'not a list', step: { type: 'transform', with: { value: 1 } } },
      ['WITH_INVALID /items: must be an expression written as {{ … }}'],
    ],
    [
      'map',
      { items: [1], concurrency: 0, step: { type: 'transform', with: { value: 1 } } },
      ['WITH_INVALID /concurrency: Too small: expected number to be >=1'],
    ],
    [
      'map',
      { items: [1], step: { type: 'warp' } },
      [
        'UNKNOWN_STEP_TYPE /step/type: Unknown step type "warp"; known types: transform, http, map, branch, sleep, approval, workflow, task, llm.chat, llm.embed',
      ],
    ],
    [
      'map',
      { items: [1], step: { type: 'sleep', with: { duration: 'soon' } } },
      ['WITH_INVALID /step/with/duration: must be a duration such as 500ms, 30s, 5m, 1h30m or 7d'],
    ],
    [
      'map',
      { items: [1], step: { type: 'transform', with: { value: '{{ item + }}' } } },
      ['EXPRESSION_INVALID /step/with/value: Expression is invalid: Unexpected end of expression (S0207)'],
    ],
    ['branch', { cases: [] }, ['WITH_INVALID /cases: Too small: expected array to have >=1 items']],
    [
      'branch',
      { cases: [{ when: 'input.x', next: ['later'] }] },
      ['WITH_INVALID /cases/0/when: must be an expression written as {{ … }}'],
    ],
    [
      'branch',
      { cases: [{ when: true, next: ['ghost'] }] },
      ['STEP_REFERENCE_INVALID /cases/0/next/0: Branch path names unknown step "ghost"'],
    ],
    [
      'branch',
      { cases: [{ when: true, next: ['source'] }] },
      [
        'STEP_REFERENCE_INVALID /cases/0/next/0: Branch path names step "source", which does not list "subject" in its needs',
      ],
    ],
    ['sleep', {}, ['WITH_INVALID : needs exactly one of duration or until']],
    [
      'sleep',
      { duration: '1s', until: '2030-01-01T00:00:00Z' },
      ['WITH_INVALID : needs exactly one of duration or until'],
    ],
    ['sleep', { until: 'tomorrow' }, ['WITH_INVALID /until: must be an ISO 8601 time with a time zone']],
    ['sleep', { duration: '999d' }, ['WITH_INVALID /duration: must be between 1ms and 366d']],
    ['approval', { title: '' }, ['WITH_INVALID /title: Too small: expected string to have >=1 characters']],
    [
      'approval',
      { title: 'ok?', default: 'approve' },
      ['WITH_INVALID /default: needs a timeout: the default decides only when the timeout passes'],
    ],
    [
      'approval',
      { title: 'ok?', timeout: '1d', default: 'maybe' },
      ['WITH_INVALID /default: Invalid option: expected one of "approve"|"reject"'],
    ],
    [
      'workflow',
      { name: 'Child Flow' },
      [
        'WITH_INVALID /name: must be 1-100 characters of lower-case letters, digits, - and _, starting with a letter or digit',
      ],
    ],
    [
      'workflow',
      { name: 'child', version: 0 },
      ['WITH_INVALID /version: Too small: expected number to be >=1'],
    ],
    [
      'task',
      { queue: 'Has Spaces' },
      ['WITH_INVALID /queue: must be a queue name: lower-case letters, digits, ., - and _'],
    ],
    [
      'task',
      { queue: 'q', heartbeatTimeout: 'often' },
      ['WITH_INVALID /heartbeatTimeout: must be a duration such as 500ms, 30s, 5m, 1h30m or 7d'],
    ],
    ['llm.chat', { prompt: 'hi' }, ['WITH_INVALID /model: is required']],
    ['llm.chat', { model: 'm' }, ['WITH_INVALID : needs exactly one of prompt or messages']],
    [
      'llm.chat',
      { model: 'm', prompt: 'hi', messages: [{ role: 'user', content: 'hi' }] },
      ['WITH_INVALID : needs exactly one of prompt or messages'],
    ],
    [
      'llm.chat',
      { model: 'm', system: 'be brief', messages: [{ role: 'user', content: 'hi' }] },
      ['WITH_INVALID /system: goes with prompt; with messages, start them with a message of role system'],
    ],
    [
      'llm.chat',
      { model: 'm', messages: [{ role: 'tool', content: 'hi' }] },
      ['WITH_INVALID /messages/0/role: Invalid option: expected one of "system"|"user"|"assistant"'],
    ],
    [
      'llm.chat',
      { model: 'm', messages: 'input.history' },
      ['WITH_INVALID /messages: must be an expression written as {{ … }}'],
    ],
    [
      'llm.chat',
      { model: 'm', prompt: '' },
      ['WITH_INVALID /prompt: Too small: expected string to have >=1 characters'],
    ],
    [
      'llm.chat',
      { model: 'm', prompt: 'hi', tier: 6 },
      ['WITH_INVALID /tier: Too big: expected number to be <=5'],
    ],
    [
      'llm.chat',
      { model: 'm', prompt: 'hi', temperature: 2.5 },
      ['WITH_INVALID /temperature: Too big: expected number to be <=2'],
    ],
    [
      'llm.chat',
      { model: 'm', prompt: 'hi', toolChoice: 'required' },
      ['WITH_INVALID /toolChoice: needs tools'],
    ],
    [
      'llm.chat',
      {
        model: 'm',
        prompt: 'hi',
        tools: [{ type: 'function', function: { name: 'f' } }],
        output: { schema: { type: 'object' } },
      },
      ['WITH_INVALID /output: cannot be combined with tools: a tool call is not a JSON answer to validate'],
    ],
    [
      'llm.chat',
      { model: 'm', prompt: 'hi', output: { schema: { type: 'object' }, retries: 4 } },
      ['WITH_INVALID /output/retries: Too big: expected number to be <=3'],
    ],
    [
      'llm.chat',
      { model: 'm', prompt: 'hi', output: { schema: { type: 'object', requried: ['a'] } } },
      ['WITH_INVALID /output/schema: Output schema strict mode: unknown keyword: "requried"'],
    ],
    [
      'llm.chat',
      { model: 'm', prompt: 'hi', output: { schema: { type: 'object', minProperties: -1 } } },
      ['WITH_INVALID /output/schema/minProperties: Output schema must be >= 0'],
    ],
    ['llm.chat', { model: 'm', prompt: 'hi', output: {} }, ['WITH_INVALID /output/schema: is required']],
    [
      'llm.chat',
      { model: 'm', prompt: 'hi', max_tokens: 10 },
      ['WITH_INVALID /max_tokens: Unknown field "max_tokens" for step type llm.chat'],
    ],
    ['llm.embed', { model: 'm' }, ['WITH_INVALID /input: is required']],
    [
      'llm.embed',
      { model: 'm', input: [] },
      ['WITH_INVALID /input: Too small: expected array to have >=1 items'],
    ],
    [
      'llm.embed',
      { model: 'm', input: 'x', dimensions: 0 },
      ['WITH_INVALID /dimensions: Too small: expected number to be >=1'],
    ],
  ])('a %s step refuses %j', (type, withValue, expected) => {
    expect(check(type, withValue)).toEqual(expected);
  });

  it('a with that is not an object is a field problem', () => {
    expect(check('transform', 'value')).toEqual([
      'FIELD_INVALID : Invalid input: expected record, received string',
    ]);
  });
});

describe('the step type registry', () => {
  const llm = defineStepType({
    type: 'llm',
    description: 'A test type standing in for the gateway’s',
    with: z.strictObject({ model: z.string(), prompt: z.string() }),
  });

  it('validation knows only the types it is given: a new type plugs in without changing workflows/', () => {
    expect(check('llm', { model: 'm', prompt: 'p' })[0]).toMatch(/^UNKNOWN_STEP_TYPE \/steps\/1\/type/);
    const extended = createStepTypeRegistry([...BUILTIN_STEP_TYPES, llm]);
    expect(check('llm', { model: 'm', prompt: 'Summarise {{ input.text }}' }, extended)).toEqual([]);
    expect(check('llm', { model: 'm' }, extended)).toEqual(['WITH_INVALID /prompt: is required']);
  });

  it('a type defined twice is refused', () => {
    expect(() => createStepTypeRegistry([...BUILTIN_STEP_TYPES, llm, llm])).toThrow(
      'Step type llm is defined twice',
    );
  });
});
