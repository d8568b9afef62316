import { z } from 'zod';
import { PERMISSIONS } from '../identity/index.ts';
import type { AnyRoute } from './route.ts';
import { ErrorSchema } from './schemas.ts';

type JsonObject = Record<string, unknown>;

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z_]+)/g, '{$1}');

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
 * Schemas with a `.meta({ id })` become shared components.
 */
export function buildOpenApi(routes: readonly AnyRoute[], info: { version: string }): JsonObject {
  const components: JsonObject = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): JsonObject => {
    const raw = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' });
    const json = JSON.parse(
      JSON.stringify(raw).replaceAll('"#/$defs/', '"#/components/schemas/'),
    ) as JsonObject & {
      $defs?: JsonObject;
      $schema?: string;
    };
    const { $defs, $schema: _schema, ...rest } = json;
    Object.assign(components, $defs ?? {});
    return rest;
  };
  const errorRef = convert(ErrorSchema, 'output');
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: errorRef } },
  });

  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.url);
    const parameters: JsonObject[] = [];
    for (const [where, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (!schema) continue;
      const json = convert(schema, 'input') as {
        properties?: Record<string, JsonObject>;
        required?: string[];
      };
      for (const [name, property] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (json.required ?? []).includes(name),
          schema: property,
        });
      }
    }
    const responses: JsonObject = {
      [route.success.status]: route.success.schema
        ? {
            description: route.success.description,
            content: { 'application/json': { schema: convert(route.success.schema, 'output') } },
          }
        : { description: route.success.description },
      '400': errorResponse('Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON)'),
      '429': errorResponse('Rate limited (RATE_LIMITED); see Retry-After'),
    };
    if (route.auth === 'operator') {
      responses['401'] = errorResponse('Missing or wrong operator token (OPERATOR_UNAUTHENTICATED)');
      responses['404'] = errorResponse(
        'Not found, or the operator API is disabled (OPERATOR_API_DISABLED: SHOAL_OPERATOR_TOKEN unset)',
      );
    } else if (route.auth !== 'public') {
      responses['401'] = errorResponse('Not authenticated');
      responses['403'] = errorResponse('Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED)');
      responses['404'] = errorResponse('Not found in this tenant (NOT_FOUND)');
    }
    if (route.auth !== 'public' && route.auth !== 'operator' && 'longPoll' in route && route.longPoll)
      responses['204'] = { description: 'Nothing came before the wait ended: poll again' };
    for (const error of route.errors ?? [])
      responses[String(error.status)] = errorResponse(error.description);
    const operation: JsonObject = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(route.description ? { description: route.description } : {}),
      ...(route.auth === 'public'
        ? { security: [] }
        : route.auth === 'operator'
          ? {
              security: [{ operatorToken: [] }],
              'x-shoal-action': 'operator',
              description:
                `${route.description ?? ''}Requires the operator token (SHOAL_OPERATOR_TOKEN).`.trim(),
            }
          : {
              'x-shoal-action': route.auth,
              'x-shoal-roles': PERMISSIONS[route.auth].roles,
              description:
                `${route.description ?? ''}Requires action \`${route.auth}\`: roles ${PERMISSIONS[route.auth].roles.join(', ')}.`.trim(),
            }),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: convert(route.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Shoal API', version: info.version, description: 'Multi-tenant AI workflow platform.' },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: shoal_…' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'shoal_session' },
        operatorToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The platform operator token (SHOAL_OPERATOR_TOKEN), for /v1/operator/… only',
        },
      },
    },
  };
}
