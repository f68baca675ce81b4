import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret token: 32 random bytes (256 bits) in base64url, 43 characters. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The SHA-256 of a token in hex: the only form in which invitation, admin and session tokens are
 * stored. The hash of `purpose` followed by `token` (UTF-8), in one call (`crypto.hash`): a
 * Hash object costs five times as much for a short input, and every answer set hashes its
 * token twice (this and {@link pendingTag}).
 */
export function hashToken(token: string, purpose = ''): string {
  return hash('sha256', purpose + token, 'hex');
}

/** The tag a recipient row keeps until its answer set is complete: a hash of the token under another purpose. */
export function pendingTag(token: string): string {
  return hashToken(token, 'recipient-pending:');
}

/** Compares two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
