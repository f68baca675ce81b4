import type { KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { DEFAULT_RULES, parseModelSyntax } from '../../analysis/index.js';
import { iso } from '../clock.js';
import { findRuleSetByVersion } from '../dynamics/queries/rules.js';
import { storedRules } from '../dynamics/handlers/rules.js';
import { HttpError, conflict, notFound } from '../errors.js';
import { audit } from '../handlers/audit.js';
import { requireWave } from '../handlers/waves.js';
import type { Db } from '../db.js';
import type { Services } from '../services.js';
import { canonicalJson } from './canonical_json.js';
import { GENESIS_HASH, RECEIPT_FORMAT, bodyOf, checkChain, publicKeyOf, sha256, signCommitment, type ChainCheck, type CommitmentKind, type Receipt, type SignedCommitment } from './commitment_chain.js';
import { chainUpTo, findCommitment, insertCommitment, lastCommitment, waveHasAnswers } from './queries.js';
import { receiptPage } from './receipt_page.js';
import type { CommitmentCreate } from './schemas.js';

const NO_KEY = 'This server holds no signing key, so it cannot commit: set SEICI_SIGNING_KEY to an Ed25519 private key (PEM or base64 PKCS#8) and restart.';

/** The server's public key (base64 DER), or null when it holds no signing key. */
export function serverPublicKey(s: Services): string | null {
  return s.config.signingKey ? publicKeyOf(s.config.signingKey) : null;
}

/** Checks the stored chain (up to `seq`) against the server's own key; without a key nothing can be trusted. */
export function checkStoredChain(s: Services, entries: readonly SignedCommitment[]): ChainCheck {
  const key = serverPublicKey(s);
  if (!key) return { valid: false, seq: null, reason: 'the server holds no SEICI_SIGNING_KEY to check signatures against.' };
  return checkChain(entries, key);
}

/** What a breakpoint-rules commitment fixes: the full stored rule set of a version (undefined for an unknown version). */
export async function ruleSetContent(db: Db, version: string): Promise<{ ruleVersion: string; rules: unknown } | undefined> {
  const record = await findRuleSetByVersion(db, version);
  if (!record && version !== DEFAULT_RULES.version) return undefined;
  const rules = record ? storedRules(record) : DEFAULT_RULES;
  return { ruleVersion: rules.version, rules: JSON.parse(JSON.stringify(rules)) };
}

/**
 * Appends one signed entry to the chain in `trx` (a transaction): the next seq, the previous
 * entry's hash, SHA-256 over canonical JSON, Ed25519 by `key`, and an audit entry.
 */
export async function appendCommitment(
  s: Services,
  trx: Db,
  key: KeyObject,
  actor: string,
  fields: { kind: CommitmentKind; waveId: number; title: string; content: unknown },
): Promise<SignedCommitment> {
  const last = await lastCommitment(trx);
  const entry = signCommitment(
    { seq: (last?.seq ?? 0) + 1, ...fields, contentHash: sha256(canonicalJson(fields.content)), committedAt: iso(s.clock()), prevHash: last?.hash ?? GENESIS_HASH, publicKey: publicKeyOf(key) },
    key,
  );
  await insertCommitment(trx, entry, canonicalJson(bodyOf(entry)), actor);
  await audit(s, actor, 'commitment.create', `commitment:${entry.seq}`, { kind: entry.kind, waveId: entry.waveId, hash: entry.hash }, trx);
  return entry;
}

/** What a commitment fixes, as the JSON that is hashed: for rules, the full rule set of the named version. */
async function contentOf(s: Services, body: z.output<typeof CommitmentCreate>): Promise<{ title: string; content: unknown }> {
  switch (body.kind) {
    case 'breakpoint-rules': {
      const content = await ruleSetContent(s.db, body.ruleVersion);
      if (!content) throw new HttpError(400, `ruleVersion names no stored breakpoint rule set ("${body.ruleVersion}").`);
      return { title: body.title ?? `Breakpoint rules ${content.ruleVersion}`, content };
    }
    case 'measurement-model': {
      // Syntax lavaan would not read is an InputError naming `syntax`: the error handler answers it 400.
      parseModelSyntax(body.syntax, 'syntax');
      const { kind: _k, waveId: _w, title, ...content } = body;
      return { title, content };
    }
    case 'hypothesis':
    case 'analysis-plan': {
      const { kind: _k, waveId: _w, title, ...content } = body;
      return { title, content };
    }
  }
}

/**
 * Commits (pre-registers) a rule set, a measurement model, a hypothesis or an analysis plan
 * for a wave: appends one signed entry to the server's chain. Refused (409) once the wave has
 * any answer, since the commitment would no longer precede its data; 503 without a signing key.
 */
export async function createCommitment(s: Services, actor: string, body: z.output<typeof CommitmentCreate>): Promise<SignedCommitment> {
  const key = s.config.signingKey;
  if (!key) throw new HttpError(503, NO_KEY);
  const wave = await requireWave(s, body.waveId);
  const { title, content } = await contentOf(s, body);
  for (let attempt = 0; ; attempt++) {
    try {
      return await s.db.transaction(async (trx) => {
        if (await waveHasAnswers(trx, wave.id)) throw conflict(`Wave ${wave.id} already has answers, so a commitment made now would not precede its data.`);
        return appendCommitment(s, trx, key, actor, { kind: body.kind, waveId: wave.id, title, content });
      });
    } catch (err) {
      // Two commitments racing for the same seq: the unique index refuses one; it takes the next place.
      if (err instanceof HttpError || attempt >= 4 || !/unique|duplicate/i.test(String((err as Error).message))) throw err;
    }
  }
}

export async function listCommitments(s: Services, waveId: number | undefined) {
  const chain = await chainUpTo(s.db);
  return {
    publicKey: serverPublicKey(s),
    chain: checkStoredChain(s, chain),
    commitments: waveId === undefined ? chain : chain.filter((e) => e.waveId === waveId),
  };
}

async function requireCommitment(s: Services, seq: number): Promise<SignedCommitment> {
  const entry = await findCommitment(s.db, seq);
  if (!entry) throw notFound(`No commitment has the number ${seq}.`);
  return entry;
}

export async function getCommitment(s: Services, seq: number) {
  const entry = await requireCommitment(s, seq);
  return { ...entry, chain: checkStoredChain(s, await chainUpTo(s.db, seq)) };
}

/** The receipt of a commitment: the chain up to it and the key that signed it, for anyone to verify offline. */
export async function commitmentReceipt(s: Services, seq: number): Promise<Receipt> {
  const entry = await requireCommitment(s, seq);
  return { format: RECEIPT_FORMAT, publicKey: serverPublicKey(s) ?? entry.publicKey, commitment: seq, entries: await chainUpTo(s.db, seq) };
}

/** The receipt as a printable HTML page. */
export async function commitmentReceiptPage(s: Services, seq: number): Promise<string> {
  const receipt = await commitmentReceipt(s, seq);
  return receiptPage(receipt, checkChain(receipt.entries, receipt.publicKey));
}
