import { type ArgumentMetadata, BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

/**
 * PostgreSQL text cannot hold U+0000, so a NUL anywhere in a route's parameters, query or body
 * (a value or a key, at any depth) is a 400 naming the field rather than a database error. Global:
 * it runs before each argument's own zod pipe.
 */
@Injectable()
export class NulCharacterPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const field = nulAt(value);
    if (field !== null) {
      const name = [metadata.type, metadata.data, field].filter(Boolean).join('.');
      throw new BadRequestException(`${name}: text may not contain the NUL character (U+0000)`);
    }
    return value;
  }
}

/** Where the first NUL is ('' for the value itself), or null; iterative, as a parsed body may nest deeply. */
function nulAt(root: unknown): string | null {
  const pending: [unknown, string][] = [[root, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return at;
        pending.push([item, at]);
      }
    }
  }
  return null;
}
