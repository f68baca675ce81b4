import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical_json.js';

/** What a commitment fixes in advance. */
export const COMMITMENT_KINDS = ['breakpoint-rules', 'measurement-model', 'hypothesis', 'analysis-plan'] as const;
export type CommitmentKind = (typeof COMMITMENT_KINDS)[number];

/** The `prevHash` of the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);
export const RECEIPT_FORMAT = 'seici-commitment-receipt/1';
const ENTRY_MEMBERS = ['seq', 'kind', 'waveId', 'title', 'content', 'contentHash', 'committedAt', 'prevHash', 'publicKey', 'hash', 'signature'].sort().join(',');

/** The part of an entry that is hashed and signed (canonical JSON of exactly these members). */
export interface CommitmentBody {
  /** Position in the server's chain, from 1. */
  readonly seq: number;
  readonly kind: CommitmentKind;
  /** The wave whose data the commitment applies to (committed before its first answer). */
  readonly waveId: number;
  readonly title: string;
  /** What is committed: a rule set, lavaan syntax, a hypothesis and its test, a plan. */
  readonly content: unknown;
  /** SHA-256 (hex) of the canonical JSON of `content`. */
  readonly contentHash: string;
  readonly committedAt: string;
  /** The hash of the previous entry, or 64 zeros for the first. */
  readonly prevHash: string;
  /** The Ed25519 public key that signs the entry, as base64 DER (SubjectPublicKeyInfo). */
  readonly publicKey: string;
}

/** An entry of the chain: its body, the SHA-256 of the body's canonical JSON, and the Ed25519 signature of that JSON (base64). */
export interface SignedCommitment extends CommitmentBody {
  readonly hash: string;
  readonly signature: string;
}

/** A receipt: the chain from its first entry up to the commitment it is for, with the key that signed it. */
export interface Receipt {
  readonly format: typeof RECEIPT_FORMAT;
  readonly publicKey: string;
  /** The seq of the commitment the receipt is for (the last entry). */
  readonly commitment: number;
  readonly entries: readonly SignedCommitment[];
}

export type ChainCheck = { readonly valid: true; readonly entries: number } | { readonly valid: false; readonly seq: number | null; readonly reason: string };

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function bodyOf(e: CommitmentBody): CommitmentBody {
  const { seq, kind, waveId, title, content, contentHash, committedAt, prevHash, publicKey } = e;
  return { seq, kind, waveId, title, content, contentHash, committedAt, prevHash, publicKey };
}

/** The signing key from `SEICI_SIGNING_KEY`: an Ed25519 private key as PEM or as base64 PKCS#8 DER. */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith('-----BEGIN')
      ? createPrivateKey(trimmed)
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new TypeError('SEICI_SIGNING_KEY must be an Ed25519 private key as PEM or base64 PKCS#8; it could not be read.');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`SEICI_SIGNING_KEY must be an Ed25519 key; it is ${key.asymmetricKeyType}.`);
  return key;
}

/** The base64 DER (SubjectPublicKeyInfo) form of the public half of a signing key. */
export function publicKeyOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
}

/** Hashes and signs an entry's body. */
export function signCommitment(body: CommitmentBody, privateKey: KeyObject): SignedCommitment {
  const text = canonicalJson(bodyOf(body));
  return { ...bodyOf(body), hash: sha256(text), signature: sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64') };
}

/**
 * Checks a chain: entries numbered 1, 2, … in order, each `prevHash` equal to the previous
 * entry's hash, each content hash and entry hash recomputed from the canonical JSON, and each
 * Ed25519 signature checked against `publicKey` (which every entry must name). Answers the
 * first broken entry and why.
 */
export function checkChain(entries: readonly SignedCommitment[], publicKey: string): ChainCheck {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return { valid: false, seq: null, reason: 'the public key is not a base64 DER public key.' };
  }
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const broken = (reason: string): ChainCheck => ({ valid: false, seq: typeof e?.seq === 'number' ? e.seq : null, reason });
    if (typeof e !== 'object' || e === null) return { valid: false, seq: null, reason: `entry ${i + 1} of the list is not an object.` };
    const members = Object.keys(e).sort().join(',');
    if (members !== ENTRY_MEMBERS) return broken(`its members are ${members}, not exactly ${ENTRY_MEMBERS}.`);
    if (e.seq !== i + 1) return broken(`it stands at position ${i + 1} of the chain but says it is entry ${e.seq} (entries removed or reordered).`);
    if (e.prevHash !== prev) return broken('its prevHash is not the hash of the entry before it.');
    let text: string;
    try {
      if (sha256(canonicalJson(e.content)) !== e.contentHash) return broken('its content does not hash to its contentHash.');
      text = canonicalJson(bodyOf(e));
    } catch (err) {
      return broken(`it is not canonical JSON (${(err as Error).message})`);
    }
    if (sha256(text) !== e.hash) return broken('its body does not hash to its recorded hash.');
    if (e.publicKey !== publicKey) return broken('it names a signing key other than the chain\'s.');
    let signed: boolean;
    try {
      signed = verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(String(e.signature), 'base64'));
    } catch {
      signed = false;
    }
    if (!signed) return broken('its signature does not verify with the chain\'s public key.');
    prev = e.hash;
  }
  return { valid: true, entries: entries.length };
}

/** Checks a receipt read from a file: its form, then its chain (optionally against a public key the verifier trusts). */
export function verifyReceipt(receipt: unknown, trustedPublicKey?: string): ChainCheck {
  const r = receipt as Partial<Receipt> | null;
  if (typeof r !== 'object' || r === null || r.format !== RECEIPT_FORMAT) return { valid: false, seq: null, reason: `the file is not a seici receipt (format must be "${RECEIPT_FORMAT}").` };
  if (typeof r.publicKey !== 'string') return { valid: false, seq: null, reason: 'the receipt names no publicKey.' };
  if (!Array.isArray(r.entries) || r.entries.length === 0) return { valid: false, seq: null, reason: 'the receipt holds no entries.' };
  if (trustedPublicKey !== undefined && trustedPublicKey !== r.publicKey) return { valid: false, seq: null, reason: 'the receipt is signed with a key other than the one you trust.' };
  const check = checkChain(r.entries, r.publicKey);
  if (!check.valid) return check;
  if (r.entries[r.entries.length - 1].seq !== r.commitment) return { valid: false, seq: r.commitment ?? null, reason: 'the receipt does not end with the commitment it is for.' };
  return check;
}
