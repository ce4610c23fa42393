import { type ImageUploadQuery, imageUploadQuery, type ImageUploadResponse } from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import {
  BadRequestException,
  Body,
  Controller,
  HttpException,
  HttpStatus,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { InternalCallerGuard } from '@hydra/service';
import { FileInterceptor } from '@nestjs/platform-express';
import { ImageIngestService } from './image-ingest.service';
import { ImageRejectedError } from './image-validation';

interface UploadedImage {
  buffer: Buffer;
}

/** The parts of Express's request and response used here (the body is a Buffer from the raw parser). */
interface RawRequest {
  body: unknown;
}
interface StatusResponse {
  status(code: number): unknown;
}

/**
 * `POST /images` for producers that push: the image as the raw body (`Content-Type: image/png`,
 * `image/jpeg` or `application/octet-stream`) with the metadata in the query, or as the `image`
 * field of a multipart form whose other fields are the metadata. 201 for a new image (stored, its
 * `image.new` queued in the outbox: answered at once even while the broker is away, the verdict
 * follows once it is back), 200 for a duplicate, 400/413 with the reason for bad input. Only
 * labeler-api may call it (it checks the caller's role and forwards with the internal token).
 */
@Controller('images')
export class ImageUploadController {
  constructor(private readonly ingest: ImageIngestService) {}

  @Post()
  @UseGuards(InternalCallerGuard)
  @UseInterceptors(FileInterceptor('image'))
  async upload(
    @Req() request: RawRequest,
    @Res({ passthrough: true }) response: StatusResponse,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
    @UploadedFile() file: UploadedImage | undefined,
  ): Promise<ImageUploadResponse> {
    const fields = file && typeof body === 'object' ? { ...query, ...(body as object) } : query;
    let metadata: ImageUploadQuery;
    try {
      metadata = new ZodValidationPipe(imageUploadQuery).transform(fields);
    } catch (error) {
      this.ingest.countRejection('upload', new ImageRejectedError('bad-metadata', String(error)));
      throw error;
    }
    const bytes = file?.buffer ?? (Buffer.isBuffer(request.body) ? request.body : null);
    if (!bytes?.length) {
      throw new BadRequestException(
        'no image: send it as the body (Content-Type image/png, image/jpeg or application/octet-stream) or as the multipart field "image"',
      );
    }
    try {
      const result = await this.ingest.ingest(
        bytes,
        {
          plotType: metadata.plotType,
          runNumber: metadata.runNumber,
          runPeriod: metadata.runPeriod,
          chunk: metadata.chunk ?? null,
          pad: metadata.pad ?? null,
          capturedAt: metadata.capturedAt ? new Date(metadata.capturedAt) : new Date(),
        },
        'upload',
      );
      response.status(result.duplicate ? HttpStatus.OK : HttpStatus.CREATED);
      return result;
    } catch (error) {
      if (!(error instanceof ImageRejectedError)) throw error;
      const status =
        error.reason === 'too-large' || error.reason === 'too-many-pixels'
          ? HttpStatus.PAYLOAD_TOO_LARGE
          : HttpStatus.BAD_REQUEST;
      throw new HttpException(`${error.reason}: ${error.message}`, status);
    }
  }
}
