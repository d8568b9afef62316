import { describe, expect, it } from 'vitest';
import {
  BUILTIN_STEP_TYPES,
  compileInputSchema,
  contentHash,
  createStepTypeRegistry,
  isTruthy,
  resolveTemplate,
  MAX_REPORTED_PROBLEMS,
  scanTemplate,
  validateWorkflowDefinition,
  workflowInvalid,
  validateWorkflowSource,
  type Problem,
  type ValidationResult,
} from '../../src/workflows/index.ts';

const stepTypes = createStepTypeRegistry(BUILTIN_STEP_TYPES);
const yaml = (text: string) => validateWorkflowSource(text, 'yaml', { stepTypes });
const json = (text: string) => validateWorkflowSource(text, 'json', { stepTypes });
const object = (value: unknown) => validateWorkflowDefinition(value, { stepTypes });

function problems(result: ValidationResult): Problem[] {
  if (result.ok) throw new Error('expected the definition to be invalid');
  return result.problems;
}

/** `code line:column path` of each problem, for compact expectations. */
const brief = (result: ValidationResult) =>
  problems(result).map((p) => `${p.code} ${p.line ?? '-'}:${p.column ?? '-'} ${p.path}`);

describe('parsing YAML and JSON', () => {
  it('a YAML syntax error names its line and column', () => {
    const result = yaml('name: x\nsteps:\n  - id: a\n    type: [transform\n');
    expect(problems(result)).toEqual([
      expect.objectContaining({ code: 'SOURCE_INVALID', path: '', line: 5, column: 1 }),
    ]);
    expect(problems(result)[0]?.message).toMatch(/^Invalid YAML: /);
  });

  it('a duplicated key is refused with the position of the second one', () => {
    const result = yaml('name: x\nname: y\nsteps: []\n');
    expect(brief(result)).toEqual(['SOURCE_INVALID 2:1 ']);
    expect(problems(result)[0]?.message).toBe('Invalid YAML: Map keys must be unique');
  });

  it('a JSON syntax error names its line and column', () => {
    const result = json('{\n  "name": "x",\n  "steps": [\n    {"id": "a" "type": "transform"}\n  ]\n}');
    expect(brief(result)).toEqual(['SOURCE_INVALID 4:16 ']);
    expect(problems(result)[0]?.message).toBe("Invalid JSON: Expected ',' or '}' after property value");
  });

  it('YAML aliases cannot be expanded without bound', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ),
      'name: boom',
      'steps: []',
    ].join('\n');
    expect(problems(yaml(bomb))[0]?.code).toBe('SOURCE_INVALID');
  });

  it('the same definition in YAML, JSON and as an object has one content hash', () => {
    const definition = {
      name: 'same',
      steps: [{ id: 'a', type: 'transform', with: { value: '{{ input.x }}' } }],
    };
    const fromObject = object(definition);
    const fromJson = json(JSON.stringify(definition, null, 2));
    const fromYaml = yaml(
      'name: same\nsteps:\n  - type: transform\n    with: { value: "{{ input.x }}" }\n    id: a\n',
    );
    expect(fromObject.ok && fromJson.ok && fromYaml.ok).toBe(true);
    if (!fromObject.ok || !fromJson.ok || !fromYaml.ok) return;
    expect(fromJson.contentHash).toBe(fromObject.contentHash);
    expect(fromYaml.contentHash).toBe(fromObject.contentHash);
    expect(fromObject.contentHash).toBe(contentHash(fromObject.definition));
  });

  it('defaults are filled in, so spelling a default out does not change the hash', () => {
    const short = object({
      name: 'd',
      steps: [{ id: 'a', type: 'http', with: { url: 'https://example.com' }, retry: { maxAttempts: 3 } }],
    });
    const long = object({
      name: 'd',
      steps: [
        {
          id: 'a',
          type: 'http',
          needs: [],
          with: { url: 'https://example.com' },
          retry: { maxAttempts: 3, backoff: { initial: '1s', factor: 2, max: '5m', jitter: 0.2 } },
        },
      ],
    });
    expect(short.ok && long.ok && short.contentHash === long.contentHash).toBe(true);
    if (short.ok)
      expect(short.definition.steps[0]?.retry?.backoff).toEqual({
        initial: '1s',
        factor: 2,
        max: '5m',
        jitter: 0.2,
      });
  });

  it('$schema is allowed for editors and left out of the definition and its hash', () => {
    const plain = object({ name: 's', steps: [{ id: 'a', type: 'transform', with: { value: 1 } }] });
    const withSchema = object({
      $schema: 'https://example.com/workflow.schema.json',
      name: 's',
      steps: [{ id: 'a', type: 'transform', with: { value: 1 } }],
    });
    expect(plain.ok && withSchema.ok && plain.contentHash === withSchema.contentHash).toBe(true);
    if (withSchema.ok) expect(withSchema.definition).not.toHaveProperty('$schema');
  });
});

describe('problems carry the YAML line and column', () => {
  const source = [
    'name: Bad Name', // 1
    'colour: blue', // 2
    'steps:', // 3
    '  - id: fetch', // 4
    '    type: http', // 5
    '    needs: [ghost]', // 6
    '    with:', // 7
    '      url: not-a-url', // 8
    '      verb: GET', // 9
    '  - id: fetch', // 10
    '    type: warp', // 11
    '  - id: use', // 12
    '    type: transform', // 13
    '    needs: [fetch]', // 14
    '    with:', // 15
    '      value: |', // 16
    '        {{', // 17
    '          steps.fetch.output.body.items[price > 10]', // 18
    '            ~> $count() +', // 19
    '        }}', // 20
    '    timeout: 10 minutes', // 21
  ].join('\n');

  it('reports every problem at once, in source order, each with its position', () => {
    expect(brief(yaml(source))).toEqual([
      'FIELD_INVALID 1:7 /name',
      'FIELD_UNKNOWN 2:1 /colour',
      'UNKNOWN_NEED 6:13 /steps/0/needs/0',
      'WITH_INVALID 8:12 /steps/0/with/url',
      'WITH_INVALID 9:7 /steps/0/with/verb',
      'DUPLICATE_STEP_ID 10:9 /steps/1/id',
      'UNKNOWN_STEP_TYPE 11:11 /steps/1/type',
      'EXPRESSION_INVALID 19:26 /steps/2/with/value',
      'FIELD_INVALID 21:14 /steps/2/timeout',
    ]);
  });

  it('each problem says what is wrong in words, and which step', () => {
    const byPath = new Map(problems(yaml(source)).map((p) => [p.path, p]));
    expect(byPath.get('/steps/0/with/url')).toMatchObject({
      stepId: 'fetch',
      message: 'must be an absolute http:// or https:// URL',
    });
    expect(byPath.get('/steps/0/with/verb')?.message).toBe('Unknown field "verb" for step type http');
    expect(byPath.get('/steps/1/id')?.message).toBe(
      'Step id "fetch" is used by more than one step (first at steps/0)',
    );
    expect(byPath.get('/steps/2/timeout')?.message).toBe(
      'must be a duration such as 500ms, 30s, 5m, 1h30m or 7d',
    );
    expect(byPath.get('/steps/2/with/value')?.message).toBe(
      'Expression is invalid: Unexpected end of expression (S0207)',
    );
  });

  it('an expression error in a one-line string points at the offending character', () => {
    const result = yaml(
      'name: x\nsteps:\n  - id: a\n    type: transform\n    with: { value: "n = {{ input.n ++ 1 }}" }\n',
    );
    const [problem] = problems(result);
    // Column of the second "+" in `++`, where JSONata gives up.
    const line = 'with: { value: "n = {{ input.n ++ 1 }}" }';
    expect(problem).toMatchObject({ code: 'EXPRESSION_INVALID', line: 5 });
    expect(problem?.column).toBe(4 + line.indexOf('++ 1') + 2);
  });

  it('a definition sent as an object gets paths but no positions', () => {
    const result = object({ name: 'x', steps: [{ id: 'a', type: 'warp' }] });
    expect(problems(result)).toEqual([
      {
        code: 'UNKNOWN_STEP_TYPE',
        message:
          'Unknown step type "warp"; known types: transform, http, map, branch, sleep, approval, workflow, task, llm.chat, llm.embed',
        path: '/steps/0/type',
        stepId: 'a',
      },
    ]);
  });
});

describe('graph checks', () => {
  it('a cycle is reported once, with its path', () => {
    const result = object({
      name: 'loop',
      steps: [
        { id: 'a', type: 'transform', needs: ['c'], with: { value: 1 } },
        { id: 'b', type: 'transform', needs: ['a'], with: { value: 1 } },
        { id: 'c', type: 'transform', needs: ['b'], with: { value: 1 } },
        { id: 'd', type: 'transform', needs: ['c'], with: { value: 1 } },
      ],
    });
    expect(problems(result)).toEqual([
      {
        code: 'CYCLE',
        message: 'Steps form a cycle through needs: a -> c -> b -> a',
        path: '/steps/0/needs/0',
        stepId: 'a',
      },
    ]);
  });

  it('two separate cycles are two problems', () => {
    const result = object({
      name: 'loops',
      steps: [
        { id: 'a', type: 'transform', needs: ['b'], with: { value: 1 } },
        { id: 'b', type: 'transform', needs: ['a'], with: { value: 1 } },
        { id: 'c', type: 'transform', needs: ['c'], with: { value: 1 } },
      ],
    });
    expect(problems(result).map((p) => p.message)).toEqual([
      'Steps form a cycle through needs: a -> b -> a',
      'Steps form a cycle through needs: c -> c',
    ]);
  });

  it('an unknown step in needs names both steps', () => {
    const result = object({
      name: 'x',
      steps: [{ id: 'a', type: 'transform', needs: ['nope'], with: { value: 1 } }],
    });
    expect(problems(result)).toEqual([
      {
        code: 'UNKNOWN_NEED',
        message: 'Step "a" needs "nope", which is not a step of this workflow',
        path: '/steps/0/needs/0',
        stepId: 'a',
      },
    ]);
  });

  it('a workflow needs at least one step, and step ids are JSONata names', () => {
    expect(brief(object({ name: 'x', steps: [] }))).toEqual(['FIELD_INVALID -:- /steps']);
    const result = object({
      name: 'x',
      steps: [{ id: 'fetch-user', type: 'transform', with: { value: 1 } }],
    });
    expect(problems(result)[0]).toMatchObject({
      code: 'FIELD_INVALID',
      path: '/steps/0/id',
      stepId: 'fetch-user',
    });
  });

  it('retry backoff and timeouts are checked', () => {
    const result = object({
      name: 'x',
      steps: [
        {
          id: 'a',
          type: 'transform',
          with: { value: 1 },
          retry: {
            maxAttempts: 0,
            backoff: { factor: 0.5, jitter: 2, initial: '0ms' },
            nonRetryableErrors: ['has space'],
          },
          timeout: '400d',
        },
      ],
    });
    expect(problems(result).map((p) => `${p.path}: ${p.message}`)).toEqual([
      '/steps/0/retry/maxAttempts: Too small: expected number to be >=1',
      '/steps/0/retry/backoff/initial: must be between 1ms and 366d',
      '/steps/0/retry/backoff/factor: Too small: expected number to be >=1',
      '/steps/0/retry/backoff/jitter: Too big: expected number to be <=1',
      '/steps/0/retry/nonRetryableErrors/0: must be an error code such as HTTP_404',
      '/steps/0/timeout: must be between 1ms and 366d',
    ]);
  });
});

describe('expressions', () => {
  const step = (value: unknown, extra: Record<string, unknown> = {}) =>
    object({
      name: 'x',
      steps: [
        { id: 'first', type: 'transform', with: { value: 1 } },
        { id: 'second', type: 'transform', with: { value }, ...extra },
      ],
    });

  it('a read of an unknown step is reported where the name is written', () => {
    const result = validateWorkflowSource(
      'name: x\nsteps:\n  - id: a\n    type: transform\n    with:\n      value: "{{ steps.nope.output }}"\n',
      'yaml',
      { stepTypes },
    );
    expect(problems(result)).toEqual([
      {
        code: 'EXPRESSION_UNKNOWN_STEP',
        message: 'Expression reads steps.nope, but there is no step "nope"',
        path: '/steps/0/with/value',
        stepId: 'a',
        line: 6,
        column: 24,
      },
    ]);
  });

  it('a read of a step that is not upstream is refused: it may not have run yet', () => {
    expect(problems(step('{{ steps.first.output }}'))).toEqual([
      expect.objectContaining({
        code: 'EXPRESSION_NOT_UPSTREAM',
        message:
          'Expression reads steps.first, but step "second" does not need "first" (directly or through other steps), so it may not have run',
      }),
    ]);
    expect(step('{{ steps.first.output }}', { needs: ['first'] }).ok).toBe(true);
  });

  it('a step cannot read its own output, nor can its condition', () => {
    expect(problems(step('{{ 1 }}', { when: '{{ steps.second.output }}' }))[0]).toMatchObject({
      code: 'EXPRESSION_NOT_UPSTREAM',
      path: '/steps/1/when',
      message: 'Expression reads steps.second: a step cannot read its own output',
    });
  });

  it('a misspelt root name is reported; names inside predicates and lambdas are not roots', () => {
    expect(problems(step('{{ inptu.amount }}'))[0]).toMatchObject({
      code: 'EXPRESSION_UNKNOWN_NAME',
      message: 'Expression reads "inptu", which is not in its context; use input, steps, run, env',
    });
    const fine = [
      '{{ input.items[price > 10].name }}',
      '{{ $map(input.items, function($v) { $v.price * qty }) }}',
      '{{ input.items{ category: $sum(price) } }}',
      '{{ {"total": $sum(input.items.price), "run": run.id, "env": env.region} }}',
      '{{ ($x := input.a; $x.b) }}',
      '{{ $.input.a & $$.input.b }}',
      '{{ input.items^(price).name }}',
    ];
    for (const value of fine) expect(step(value).ok, value).toBe(true);
  });

  it('the workflow output may read any step', () => {
    const result = object({
      name: 'x',
      steps: [{ id: 'a', type: 'transform', with: { value: 1 } }],
      output: { total: '{{ steps.a.output }}', missing: '{{ steps.b.output }}' },
    });
    expect(brief(result)).toEqual(['EXPRESSION_UNKNOWN_STEP -:- /output/missing']);
  });

  it('unclosed and empty expressions are invalid', () => {
    expect(problems(step('hello {{ input.name'))[0]?.message).toBe('Expression has no closing }}');
    expect(problems(step('{{   }}'))[0]?.message).toBe('Expression is empty');
  });

  it('when must be a boolean or one whole expression', () => {
    expect(step(1, { when: true }).ok).toBe(true);
    expect(step(1, { when: '{{ input.go }}' }).ok).toBe(true);
    expect(problems(step(1, { when: 'input.go' }))[0]).toMatchObject({
      code: 'FIELD_INVALID',
      path: '/steps/1/when',
      message: 'must be an expression written as {{ … }}',
    });
  });

  it('scanTemplate finds the closing braces outside JSONata strings and objects', () => {
    const scanned = scanTemplate('a {{ {"b": {"c": "}}"}} }} z');
    expect(scanned).toEqual({
      ok: true,
      whole: false,
      parts: [
        { kind: 'text', text: 'a ' },
        { kind: 'expression', source: ' {"b": {"c": "}}"}} ', start: 4 },
        { kind: 'text', text: ' z' },
      ],
    });
    expect(scanTemplate('  {{ 1 }} ')).toMatchObject({ ok: true, whole: true });
  });

  it('resolveTemplate keeps the type of a whole expression and stringifies inside text', async () => {
    const context = {
      input: { n: 2, name: 'Ada', tags: ['x'] },
      steps: { a: { output: { ok: true } } },
      run: {},
      env: {},
    };
    await expect(
      resolveTemplate(
        {
          number: '{{ input.n * 21 }}',
          text: 'Hello {{ input.name }}, {{ input.n }} {{ input.tags }}',
          nested: ['{{ steps.a.output.ok }}', '{{ input.missing }}', 'plain'],
          dropped: '{{ input.missing }}',
          object: '{{ {"k": input.name} }}',
        },
        context,
      ),
    ).resolves.toEqual({
      number: 42,
      text: 'Hello Ada, 2 ["x"]',
      nested: [true, undefined, 'plain'],
      object: { k: 'Ada' },
    });
  });

  it('conditions read as JSONata $boolean', () => {
    expect([true, 1, 'x', [0, 1], { a: 1 }].map(isTruthy)).toEqual([true, true, true, true, true]);
    expect([false, 0, '', [], {}, null, undefined, [0, '']].map(isTruthy)).toEqual(Array(8).fill(false));
  });
});

describe('input schema', () => {
  it('an invalid JSON Schema is reported under /input, typos included', () => {
    const result = yaml(
      'name: x\ninput:\n  type: objekt\nsteps:\n  - { id: a, type: transform, with: { value: 1 } }\n',
    );
    expect(brief(result)[0]).toBe('INPUT_SCHEMA_INVALID 3:9 /input/type');
    const typo = object({
      name: 'x',
      input: { type: 'object', requried: ['a'] },
      steps: [{ id: 'a', type: 'transform', with: { value: 1 } }],
    });
    expect(problems(typo)[0]).toMatchObject({
      code: 'INPUT_SCHEMA_INVALID',
      path: '/input',
      message: 'Input schema strict mode: unknown keyword: "requried"',
    });
  });

  it('a valid input schema compiles into a validator for run inputs', () => {
    const compiled = compileInputSchema({
      type: 'object',
      required: ['email'],
      properties: { email: { type: 'string', format: 'email' }, n: { type: 'integer', minimum: 1 } },
      additionalProperties: false,
    });
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.validate({ email: 'a@example.com', n: 2 })).toEqual({ ok: true });
    expect(compiled.validate({ email: 'nope', n: 0, extra: 1 })).toEqual({
      ok: false,
      errors: [
        { path: [], message: 'has unknown field "extra"' },
        { path: ['email'], message: 'must match format "email"' },
        { path: ['n'], message: 'must be >= 1' },
      ],
    });
  });
});

describe('the WORKFLOW_INVALID error', () => {
  it('says what the first problem is and how many more there are', () => {
    const result = problems(
      yaml('name: x\nsteps:\n  - { id: a, type: warp }\n  - { id: b, type: transform }\n'),
    );
    const error = workflowInvalid(result);
    expect(error).toMatchObject({ code: 'WORKFLOW_INVALID', status: 422, details: { problems: result } });
    expect(error.message).toBe(
      'The workflow definition is invalid: Unknown step type "warp"; known types: transform, http, map, branch, sleep, approval, workflow, task, llm.chat, llm.embed at line 3, column 20 (and 1 more)',
    );
  });

  it('carries at most MAX_REPORTED_PROBLEMS problems and says when it cut the list', () => {
    const steps = Array.from({ length: MAX_REPORTED_PROBLEMS + 20 }, (_, i) => ({
      id: `s${i}`,
      type: 'warp',
    }));
    const all = problems(object({ name: 'many', steps }));
    expect(all).toHaveLength(MAX_REPORTED_PROBLEMS + 20);
    const error = workflowInvalid(all);
    expect(error.details?.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(error.details?.truncated).toBe(true);
    expect(error.message).toMatch(/\(and 519 more\)$/);
  });
});
