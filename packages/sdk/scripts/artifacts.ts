import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { API_VERSION, buildOpenApi, ROUTES } from '../../server/src/api/index.ts';

/**
 * The SDK's generated files, each a pure function of the server's route table, so that
 * `npm run sdk:generate` and the drift test render byte-identical text.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const OPENAPI_JSON_PATH = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));
export const SCHEMA_TYPES_PATH = fileURLToPath(new URL('../src/schema.d.ts', import.meta.url));
export const ENDPOINTS_PATH = fileURLToPath(new URL('../src/endpoints.ts', import.meta.url));

const HEADER = `/**
 * Generated from the server's route table by \`npm run sdk:generate\`; do not edit.
 * Source: docs/openapi.json (packages/sdk/scripts/generate.ts).
 */
`;

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

interface OpenApiDocument {
  paths: Record<string, Partial<Record<string, { operationId?: string }>>>;
}

export interface Endpoint {
  operationId: string;
  method: Uppercase<(typeof HTTP_METHODS)[number]>;
  path: string;
}

/** The OpenAPI document exactly as committed: 2-space JSON with a trailing newline. */
export function renderOpenApiJson(): string {
  return `${JSON.stringify(buildOpenApi(ROUTES, { version: API_VERSION }), null, 2)}\n`;
}

/** TypeScript types for the document (openapi-typescript), for the client's signatures. */
export async function renderSchemaTypes(openApiJson: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(openApiJson) as Parameters<typeof openapiTS>[0], { silent: true });
  return `${HEADER}\n${astToString(ast)}`;
}

/** Every operation of the document, in document order. */
export function listEndpoints(openApiJson: string): Endpoint[] {
  const document = JSON.parse(openApiJson) as OpenApiDocument;
  const endpoints: Endpoint[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const { operationId } = operation;
      if (!operationId || !IDENTIFIER.test(operationId)) {
        throw new Error(
          `${method.toUpperCase()} ${path} needs an operationId that is a JavaScript identifier`,
        );
      }
      endpoints.push({ operationId, method: method.toUpperCase() as Endpoint['method'], path });
    }
  }
  return endpoints;
}

/**
 * The runtime table the client sends requests from (the SDK never imports the server).
 * Objects are written expanded, which Prettier keeps as they are, so the file stays formatted.
 */
export function renderEndpoints(openApiJson: string): string {
  const quote = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  const entries = listEndpoints(openApiJson).map(
    ({ operationId, method, path }) =>
      `  ${operationId}: {\n    method: ${quote(method)},\n    path: ${quote(path)},\n  },\n`,
  );
  return [
    HEADER,
    `import type { Endpoint, OperationId } from './types.ts';\n\n`,
    `/** Method and path template of every operation, by operationId. */\n`,
    `export const ENDPOINTS = {\n${entries.join('')}} as const satisfies Record<OperationId, Endpoint>;\n`,
  ].join('');
}

/** Every generated file with its text, in the order they are written. */
export async function renderArtifacts(): Promise<{ path: string; text: string }[]> {
  const openApiJson = renderOpenApiJson();
  return [
    { path: OPENAPI_JSON_PATH, text: openApiJson },
    { path: SCHEMA_TYPES_PATH, text: await renderSchemaTypes(openApiJson) },
    { path: ENDPOINTS_PATH, text: renderEndpoints(openApiJson) },
  ];
}
