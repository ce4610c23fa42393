import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of API tokens, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'hydra_';

/** 32 random bytes, URL-safe: a session cookie, a CSRF token or an API token's secret. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are high-entropy, so a plain sha256 is a safe lookup key (passwords get argon2). */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
