/** Thrown for a key that could escape its folder or that S3 and file systems would treat differently. */
export class InvalidObjectKeyError extends Error {
  override readonly name = 'InvalidObjectKeyError';
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 1024;

/** Keys are `/`-separated segments of letters, digits, `.`, `_` and `-`; no `..`, no empty or hidden segment. */
export function assertValidKey(key: string): void {
  const reason = keyProblem(key);
  if (reason)
    throw new InvalidObjectKeyError(`invalid object key ${JSON.stringify(key.slice(0, 200))}: ${reason}`);
}

/** Prefixes for listing may end with `/` or be empty. */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  assertValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

function keyProblem(key: string): string | null {
  if (key.length === 0) return 'it is empty';
  if (key.length > MAX_KEY_LENGTH) return `it is longer than ${MAX_KEY_LENGTH} characters`;
  const segments = key.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.'))
    return 'it contains a "." or ".." segment';
  if (segments.some((segment) => segment === ''))
    return 'it has an empty segment (leading, trailing or double "/")';
  const bad = segments.find((segment) => !SEGMENT.test(segment));
  if (bad !== undefined)
    return `segment "${bad}" has characters outside letters, digits, ".", "_" and "-" or starts with "." or "-"`;
  return null;
}
