import { INTERNAL_TOKEN_HEADER } from '@hydra/service';
import { HttpException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { LABELER_API_CONFIG, type LabelerApiConfig } from '../labeler-api.config';

const TIMEOUT_MS = 30_000;

export interface InternalRequest {
  method: string;
  /** With the query string. */
  path: string;
  /** JSON, or a request stream passed through as it arrives (an upload). */
  body?: object | Readable;
  headers?: Record<string, string>;
}

/**
 * Calls an internal service (classifier, ingest, explainer) on behalf of a person labeler-api authenticated,
 * proving itself with the shared internal token. Their 4xx are passed on as ours; an unreachable
 * service is a 503 naming where it was looked for.
 */
@Injectable()
export class InternalServiceClient {
  constructor(@Inject(LABELER_API_CONFIG) private readonly config: LabelerApiConfig) {}

  async call(
    service: 'classifier' | 'ingest' | 'explainer',
    request: InternalRequest,
  ): Promise<{ status: number; body: unknown }> {
    const base = {
      classifier: this.config.classifierUrl,
      ingest: this.config.ingestUrl,
      explainer: this.config.explainerUrl,
    }[service];
    const streamed = request.body !== undefined && typeof (request.body as Readable).pipe === 'function';
    let response: Response;
    try {
      response = await fetch(`${base}${request.path}`, {
        method: request.method,
        headers: {
          ...(!streamed && { 'content-type': 'application/json' }),
          ...request.headers,
          ...(this.config.internalToken && { [INTERNAL_TOKEN_HEADER]: this.config.internalToken }),
        },
        body: streamed
          ? (request.body as unknown as RequestInit['body'])
          : request.body && JSON.stringify(request.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        ...(streamed && { duplex: 'half' }),
      } as RequestInit);
    } catch (error) {
      throw new ServiceUnavailableException(
        `the ${service} at ${base} did not answer: ${(error as Error).message}`,
      );
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.status >= 400) {
      const message =
        (body as { message?: string } | null)?.message ?? `the ${service} answered ${response.status}`;
      throw new HttpException(
        { statusCode: response.status, error: response.statusText, message },
        response.status,
      );
    }
    return { status: response.status, body };
  }
}
