import { Controller, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Access } from '../auth/access.decorator';
import { InternalServiceClient } from '../internal/internal-service.client';

/**
 * `POST /api/images` for producers that push plots (a feeder with an API token): passed through to
 * ingest as it arrives — the raw image with the metadata in the query, or a multipart form — so
 * ingest keeps every check and the caller sees ingest's 201 / 200 (duplicate) / 4xx.
 */
@Controller('images')
export class ImageUploadController {
  constructor(private readonly internal: InternalServiceClient) {}

  @Post()
  @Access('shift')
  async upload(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<unknown> {
    const query = request.originalUrl.includes('?')
      ? request.originalUrl.slice(request.originalUrl.indexOf('?'))
      : '';
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-length'])
      if (typeof request.headers[name] === 'string') headers[name] = request.headers[name];
    const reply = await this.internal.call('ingest', {
      method: 'POST',
      path: `/images${query}`,
      body: request,
      headers,
    });
    response.status(reply.status);
    return reply.body;
  }
}
