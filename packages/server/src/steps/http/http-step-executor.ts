import type { IncomingHttpHeaders } from 'node:http';
import type { StepContext, StepExecutor, StepResult } from '../step-executor.ts';
import { AllowListError, compileAllowList, type CompiledAllowList } from './allow-list.ts';
import { coerceHttpError } from './coerce-http-error.ts';
import { vetDestination } from './destination-policy.ts';
import { HttpStepError, type HttpStepErrorResponse } from './errors.ts';
import { compileHttpStepOptions, type CompiledHttpStepOptions, type HttpStepOptions } from './options.ts';
import { redirectedRequest, REDIRECT_STATUSES } from './redirect.ts';
import { planRequest, type HttpRequestPlan } from './request-input.ts';
import { parseBody, readBody } from './response-body.ts';
import { sendRequest, type HopRequest } from './send-request.ts';

/** What an http step outputs. */
export type HttpStepOutput = HttpStepErrorResponse;

/** A URL as it may appear in messages and logs: no credentials, no query string. */
const shownUrl = (url: URL) => `${url.origin}${url.pathname}`;

function outputHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = value;
  return result;
}

async function loadAllowList(options: CompiledHttpStepOptions, tenantId: string): Promise<CompiledAllowList> {
  if (typeof options.allowList !== 'function') return options.allowList;
  try {
    return compileAllowList(await options.allowList(tenantId));
  } catch (error) {
    if (error instanceof AllowListError) {
      throw new HttpStepError(
        'HTTP_ALLOW_LIST_INVALID',
        `The tenant's http allow-list is invalid: ${error.message}`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** The first hop: the step's headers, then what Shoal adds unless the step set it. */
function firstHop(plan: HttpRequestPlan, options: CompiledHttpStepOptions, ctx: StepContext): HopRequest {
  const headers = new Map(plan.headers);
  const url = new URL(plan.url);
  if ((url.username !== '' || url.password !== '') && !headers.has('authorization')) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.set('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
  }
  url.username = '';
  url.password = '';
  if (!headers.has('idempotency-key')) headers.set('idempotency-key', ctx.idempotencyKey);
  if (!headers.has('user-agent')) headers.set('user-agent', options.userAgent);
  return { method: plan.method, url, headers, body: plan.body };
}

function statusError(status: number, statusText: string, url: URL, response: HttpStepOutput): HttpStepError {
  const message = `HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${shownUrl(url)}`;
  if (status >= 500) return new HttpStepError('HTTP_STATUS_5XX', message, { response });
  return new HttpStepError('HTTP_STATUS_4XX', message, {
    response,
    retryable: status === 408 || status === 429,
  });
}

async function runRequest(
  options: CompiledHttpStepOptions,
  ctx: StepContext,
  plan: HttpRequestPlan,
  signal: AbortSignal,
): Promise<HttpStepOutput> {
  const allowList = await loadAllowList(options, ctx.tenantId);
  const limit = Math.min(plan.maxResponseBytes ?? options.defaultMaxResponseBytes, options.maxResponseBytes);
  let hop = firstHop(plan, options, ctx);
  for (let redirects = 0; ; redirects++) {
    // Every hop is vetted and pinned on its own: a redirect is a new destination.
    const destination = await vetDestination(options, allowList, hop.url, signal);
    const response = await sendRequest(options, destination, hop, signal);
    const status = response.statusCode ?? 0;
    ctx.logger.debug(
      { stepKey: ctx.stepKey, url: shownUrl(hop.url), status, redirects },
      'http step response',
    );
    const location = response.headers.location;
    if (plan.followRedirects && REDIRECT_STATUSES.has(status) && location !== undefined) {
      response.destroy();
      if (redirects >= options.maxRedirects) {
        throw new HttpStepError(
          'HTTP_TOO_MANY_REDIRECTS',
          `More than ${options.maxRedirects} redirects, the last from ${shownUrl(hop.url)}`,
        );
      }
      hop = redirectedRequest(hop, status, location);
      continue;
    }
    const bytes = hop.method === 'HEAD' ? Buffer.alloc(0) : await readBody(response, limit, signal);
    response.destroy();
    const headers = outputHeaders(response.headers);
    const failed = plan.failOnHttpError && status >= 400;
    let body: unknown;
    try {
      body =
        hop.method === 'HEAD' ? null : parseBody(bytes, response.headers['content-type'], plan.responseType);
    } catch (error) {
      // An error page that claims to be JSON but is not still makes the status error, not this one.
      if (!failed) throw error;
      body = parseBody(bytes, response.headers['content-type'], 'text');
    }
    const output = { status, headers, body };
    if (failed) throw statusError(status, response.statusMessage ?? '', hop.url, output);
    return output;
  }
}

/**
 * The `http` step: one outbound request, its redirects vetted hop by hop, to public addresses
 * or the tenant's allow-list only, pinned to the address that was checked (README.md).
 */
export function createHttpStepExecutor(options: HttpStepOptions = {}): StepExecutor {
  const compiled = compileHttpStepOptions(options);
  return {
    type: 'http',
    async execute(ctx: StepContext): Promise<StepResult> {
      const deadline = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      try {
        ctx.signal.throwIfAborted();
        const plan = planRequest(ctx.input);
        const timeoutMs = Math.min(plan.timeoutMs ?? compiled.defaultTimeoutMs, compiled.maxTimeoutMs);
        timer = setTimeout(
          () =>
            deadline.abort(new HttpStepError('HTTP_TIMEOUT', `No complete response within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const output = await runRequest(compiled, ctx, plan, AbortSignal.any([ctx.signal, deadline.signal]));
        return { kind: 'completed', output };
      } catch (error) {
        throw coerceHttpError(error, ctx.signal, deadline.signal);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
