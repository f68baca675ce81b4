import type { Db } from '../db.js';
import type { CommitmentBody, SignedCommitment } from './commitment_chain.js';

interface CommitmentRow {
  seq: number;
  body: string;
  hash: string;
  signature: string;
}

/** A stored entry as the chain sees it: the body parsed from the exact text that was hashed, with its hash and signature. */
function toEntry(r: CommitmentRow): SignedCommitment {
  return { ...(JSON.parse(r.body) as CommitmentBody), hash: r.hash, signature: r.signature };
}

/** The chain from its first entry up to `seq` (all of it when omitted), in order. */
export async function chainUpTo(db: Db, seq?: number): Promise<SignedCommitment[]> {
  const q = db<CommitmentRow>('commitments').select('seq', 'body', 'hash', 'signature').orderBy('seq');
  if (seq !== undefined) q.where('seq', '<=', seq);
  return (await q).map(toEntry);
}

export async function findCommitment(db: Db, seq: number): Promise<SignedCommitment | undefined> {
  const row = await db<CommitmentRow>('commitments').select('seq', 'body', 'hash', 'signature').where({ seq }).first();
  return row ? toEntry(row) : undefined;
}

/** The newest entry of the chain (its seq and hash), or undefined for an empty chain. */
export async function lastCommitment(db: Db): Promise<{ seq: number; hash: string } | undefined> {
  return db('commitments').select('seq', 'hash').orderBy('seq', 'desc').first();
}

/** The newest commitment of a kind for a wave. */
export async function latestWaveCommitment(db: Db, waveId: number, kind: string): Promise<SignedCommitment | undefined> {
  const row: CommitmentRow | undefined = await db('commitments').select('seq', 'body', 'hash', 'signature').where({ wave_id: waveId, kind }).orderBy('seq', 'desc').first();
  return row ? toEntry(row) : undefined;
}

export async function insertCommitment(db: Db, e: SignedCommitment, body: string, committedBy: string): Promise<void> {
  await db('commitments').insert({
    seq: e.seq,
    kind: e.kind,
    wave_id: e.waveId,
    body,
    content_hash: e.contentHash,
    prev_hash: e.prevHash,
    hash: e.hash,
    signature: e.signature,
    public_key: e.publicKey,
    committed_at: e.committedAt,
    committed_by: committedBy,
  });
}

/** Whether a wave has stored any answer set (partial or complete). */
export async function waveHasAnswers(db: Db, waveId: number): Promise<boolean> {
  return (await db('responses').where({ wave_id: waveId }).first('id')) !== undefined;
}
