import { findLock } from '../dynamics/queries/rules.js';
import type { Db } from '../db.js';
import type { Services } from '../services.js';
import type { SignedCommitment } from './commitment_chain.js';
import { appendCommitment, ruleSetContent } from './handlers.js';
import { latestWaveCommitment, waveHasAnswers } from './queries.js';

/**
 * Commits a wave's breakpoint rules when it opens, in the transaction that opens it and right
 * after the rules are locked (rule_lock.ts): the full locked rule set becomes a signed entry of
 * the chain, dated before any answer can exist, so every wave opened by a server with a
 * signing key is pre-registered without anyone remembering to do it. Nothing is committed
 * when the server holds no SEICI_SIGNING_KEY (it never makes up a key), when the wave locked
 * no rules, when an admin already committed rules for it (theirs stand, and an analysis that
 * used other rules is reported as a deviation from them), or when the wave already has answers.
 * A wave's analysis plan, hypotheses and models are committed by the researcher
 * (POST /api/v1/commitments) before the wave opens; waves store no plan of their own.
 */
export async function commitRulesAtOpening(s: Services, trx: Db, waveId: number): Promise<SignedCommitment | null> {
  const key = s.config.signingKey;
  if (!key) return null;
  const lock = await findLock(trx, waveId);
  if (!lock) return null;
  if (await latestWaveCommitment(trx, waveId, 'breakpoint-rules')) return null;
  if (await waveHasAnswers(trx, waveId)) return null;
  const content = await ruleSetContent(trx, lock.version);
  if (!content) return null;
  return appendCommitment(s, trx, key, 'scheduler', {
    kind: 'breakpoint-rules',
    waveId,
    title: `Breakpoint rules ${content.ruleVersion}, locked when "${lock.waveName}" opened`,
    content,
  });
}
