import { PUBLIC_ROUTE, ZodValidationPipe } from '@hydra/runtime';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { type INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { z } from 'zod';
import { ACCESS_RULE, type AccessRule } from '../auth/access.decorator';

/** One HTTP route as its decorators describe it: the source of the API description and the permission matrix. */
export interface RouteEntry {
  controller: string;
  handler: string;
  method: string;
  /** Express-style, with the global prefix: `/api/models/:id/promote`. */
  path: string;
  /** `public` for `@Public()`; null when the route declares nothing (and is therefore closed). */
  access: AccessRule | 'public' | null;
  params: { name: string; schema: z.ZodType | null }[];
  query: { name: string | null; schema: z.ZodType | null }[];
  body: z.ZodType | null;
}

const ARGUMENT_KINDS: Partial<Record<number, 'params' | 'query' | 'body'>> = {
  [RouteParamtypes.PARAM]: 'params',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.BODY]: 'body',
};

/** Every controller route of the app, read from Nest's metadata. */
export function routeCatalogue(app: INestApplication, prefix: string, unprefixed: string[]): RouteEntry[] {
  const routes: RouteEntry[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: unknown[]) => object) | null;
      if (!type) continue;
      const base = Reflect.getMetadata(PATH_METADATA, type) as string | undefined;
      if (base === undefined) continue;
      for (const handler of Object.getOwnPropertyNames(type.prototype)) {
        const target = type.prototype[handler] as unknown;
        if (typeof target !== 'function' || Reflect.getMetadata(METHOD_METADATA, target) === undefined)
          continue;
        const path = joinPath(base, Reflect.getMetadata(PATH_METADATA, target) as string);
        routes.push({
          controller: type.name,
          handler,
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, target) as number] as string,
          path: unprefixed.includes(path.slice(1)) ? path : `/${prefix}${path}`,
          access: accessOf(type, target),
          ...argumentsOf(type, handler),
        });
      }
    }
  }
  return routes;
}

function accessOf(type: object, handler: object): RouteEntry['access'] {
  if (Reflect.getMetadata(PUBLIC_ROUTE, handler) || Reflect.getMetadata(PUBLIC_ROUTE, type)) return 'public';
  return (Reflect.getMetadata(ACCESS_RULE, handler) ??
    Reflect.getMetadata(ACCESS_RULE, type) ??
    null) as AccessRule | null;
}

function argumentsOf(type: object, handler: string): Pick<RouteEntry, 'params' | 'query' | 'body'> {
  const entries = Object.entries(
    (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, handler) ?? {}) as Record<
      string,
      { data?: string; pipes?: unknown[] }
    >,
  );
  const result: Pick<RouteEntry, 'params' | 'query' | 'body'> = { params: [], query: [], body: null };
  for (const [key, argument] of entries) {
    const kind = ARGUMENT_KINDS[Number(key.split(':')[0])];
    if (!kind) continue;
    const schema = argument.pipes?.find((pipe) => pipe instanceof ZodValidationPipe)?.schema ?? null;
    if (kind === 'body') result.body = schema;
    else if (kind === 'params') result.params.push({ name: argument.data ?? '', schema });
    else result.query.push({ name: argument.data ?? null, schema });
  }
  return result;
}

function joinPath(...parts: string[]): string {
  const joined = parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}
