import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { openApiDocument } from './openapi-document';
import { routeCatalogue } from './route-catalogue';

/** Serves the API description: Swagger UI at `/api/docs`, the document at `/api/docs/openapi.json`. */
export function mountApiDocs(app: NestExpressApplication, prefix: string, unprefixed: string[]): void {
  const document = openApiDocument(
    routeCatalogue(app, prefix, unprefixed),
    process.env.npm_package_version ?? '0.1.0',
  );
  SwaggerModule.setup(`${prefix}/docs`, app, document as unknown as OpenAPIObject, {
    jsonDocumentUrl: `${prefix}/docs/openapi.json`,
    yamlDocumentUrl: `${prefix}/docs/openapi.yaml`,
  });
}
