import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A survey token sealed for one e-mail recipient, so that a reminder can carry the recipient's
 * own link while the database holds no usable token.
 *
 * Cipher: AES-256-GCM (NIST SP 800-38D) with a 96-bit random nonce and a 128-bit tag. The key
 * is derived from SEICI_SECRET with HKDF-SHA256 (RFC 5869; info `seici recipient token v1`),
 * and the recipient's wave and address are the additional authenticated data, so a sealed
 * token copied to another recipient's row does not open. Stored as base64url of
 * `nonce ‖ tag ‖ ciphertext`. Without the secret, which lives only in the server's
 * environment, a database dump cannot open it.
 */
const INFO = 'seici recipient token v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class SealedTokenError extends Error {}

function key(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('seici', 'utf8'), Buffer.from(INFO, 'utf8'), 32));
}

function context(waveId: number, email: string): Buffer {
  return Buffer.from(`recipient:${waveId}:${email}`, 'utf8');
}

/** Seals `token` for the recipient `email` of wave `waveId`. */
export function sealToken(secret: string, token: string, waveId: number, email: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key(secret), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(context(waveId, email));
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url');
}

/** Opens a sealed token; throws SealedTokenError when the secret, the recipient or the bytes are not the ones it was sealed with. */
export function openToken(secret: string, sealed: string, waveId: number, email: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length <= NONCE_BYTES + TAG_BYTES) throw new SealedTokenError('the sealed token is too short');
  const decipher = createDecipheriv('aes-256-gcm', key(secret), raw.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(context(waveId, email));
  decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedTokenError('the sealed token does not open with this secret');
  }
}
