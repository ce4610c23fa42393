import { z } from 'zod';
import type { RouteEntry } from './route-catalogue';

type JsonSchema = Record<string, unknown>;

const ERROR_BODY = {
  type: 'object',
  description: 'The one error shape of every Hydra service',
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
  required: ['statusCode', 'error', 'message'],
};

/** An OpenAPI 3.0 description of the routes, with request schemas straight from the zod contracts. */
export function openApiDocument(routes: RouteEntry[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Hydra labeler-api',
      version,
      description:
        'The one door into Hydra for people and machines. Browsers log in (POST /api/auth/login) and send the ' +
        'session cookie plus `X-CSRF-Token` on writes; machines send an API token as `Authorization: Bearer hydra_…`.',
    },
    components: {
      securitySchemes: {
        token: { type: 'http', scheme: 'bearer', description: 'An API token made by an admin' },
        session: { type: 'apiKey', in: 'cookie', name: 'hydra_session' },
      },
      schemas: { Error: ERROR_BODY },
    },
    paths,
  };
}

function operation(route: RouteEntry): JsonSchema {
  const parameters = [
    ...route.params.map(({ name, schema }) => ({
      name,
      in: 'path',
      required: true,
      schema: toSchema(schema),
    })),
    ...route.query.flatMap(({ name, schema }) => queryParameters(name, schema)),
  ];
  const error = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    operationId: `${route.controller.replace(/Controller$/, '')}_${route.handler}`,
    tags: [route.controller.replace(/Controller$/, '')],
    summary: accessText(route.access),
    ...(route.access === 'public' ? { security: [] } : { security: [{ token: [] }, { session: [] }] }),
    ...(route.access && route.access !== 'public' && { 'x-hydra-access': route.access }),
    ...(parameters.length && { parameters }),
    ...(route.body && {
      requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body) } } },
    }),
    responses: {
      default: { description: 'the result' },
      '400': { description: 'a field breaks its rule; the message names it', ...error },
      '401': { description: 'not logged in', ...error },
      '403': { description: 'the role or plot-type permission is missing; the message names it', ...error },
    },
  };
}

function queryParameters(name: string | null, schema: z.ZodType | null): JsonSchema[] {
  if (name !== null) return [{ name, in: 'query', required: false, schema: toSchema(schema) }];
  const object = toSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([key, property]) => ({
    name: key,
    in: 'query',
    required: object.required?.includes(key) ?? false,
    schema: property,
  }));
}

function toSchema(schema: z.ZodType | null): JsonSchema {
  if (!schema) return {};
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

function accessText(access: RouteEntry['access']): string {
  if (access === 'public') return 'open to anyone';
  if (!access) return 'closed (no access rule)';
  return `needs the ${access.role} role${access.plotPermission ? ` and the ${access.plotPermission} permission on the plot type` : ''}`;
}
