import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { iso } from '../clock.js';
import { lockWaveRules } from '../dynamics/rule_lock.js';
import { audit } from '../handlers/audit.js';
import { commitRulesAtOpening } from '../prereg/opening_commitment.js';
import { claimEvent, dueEvents, type WaveEvent } from '../queries/scheduler.js';
import { findWave, setWaveStatus } from '../queries/waves.js';
import { sendReminders } from './reminders.js';
import type { Services } from '../services.js';

/**
 * Opens and closes waves on time and sends reminders, from the `wave_events` table: each wave
 * stores its events when it is created, so the schedule survives restarts. Any number of
 * processes may run a scheduler on the same database: an event is claimed with a conditional
 * update (`fired_at IS NULL`) that exactly one of them wins, and the wave's status changes in
 * the same transaction as the claim, so an event never fires twice. A reminder is claimed
 * before its e-mails are sent (at most once: a crash mid-way skips the rest rather than
 * sending twice). Closing a wave queues its analysis.
 */
export class WaveScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  readonly processId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(private readonly s: Services) {}

  /** Fires every due event once; returns how many this process fired. */
  async tick(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.fireDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    const loop = () => {
      this.tick()
        .catch((err) => this.s.logger.error({ err }, 'scheduler tick failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, intervalMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async fireDue(): Promise<number> {
    // Runs left by a process that died (expired leases) are retried or failed here.
    await this.s.analyses.recover();
    let fired = 0;
    for (;;) {
      const events = await dueEvents(this.s.db, iso(this.s.clock()));
      if (events.length === 0) return fired;
      let firedThisRound = 0;
      for (const event of events) {
        if (await this.fire(event)) firedThisRound++;
      }
      fired += firedThisRound;
      if (firedThisRound === 0 && events.length < 50) return fired;
    }
  }

  private async fire(event: WaveEvent): Promise<boolean> {
    const at = iso(this.s.clock());
    if (event.kind === 'reminder') {
      if (!(await claimEvent(this.s.db, event.id, at, this.processId))) return false;
      await this.sendReminders(event.waveId);
      return true;
    }
    const status = event.kind === 'open' ? 'open' : 'closed';
    const won = await this.s.db.transaction(async (trx) => {
      if (!(await claimEvent(trx, event.id, at, this.processId))) return false;
      if (event.kind === 'open') {
        await lockWaveRules(trx, event.waveId, at);
        await commitRulesAtOpening(this.s, trx, event.waveId);
      }
      if (await setWaveStatus(trx, event.waveId, status, at)) {
        await audit(this.s, 'scheduler', `wave.${event.kind}`, `wave:${event.waveId}`, { dueAt: event.dueAt }, trx);
        // The automatic publication of a closing wave is queued in the same transaction as the
        // close: a crash right after the commit leaves a queued run that any process picks up.
        if (event.kind === 'close') await this.s.analyses.enqueue(trx, event.waveId, 'scheduler');
      }
      return true;
    });
    if (won) this.s.logger.info({ wave: event.waveId, event: event.kind }, 'wave event fired');
    if (won && event.kind === 'close') this.s.analyses.kick();
    return won;
  }

  private async sendReminders(waveId: number): Promise<void> {
    const wave = await findWave(this.s.db, waveId);
    if (!wave || wave.status === 'closed') return;
    const run = await sendReminders(this.s, wave);
    this.s.logger.info({ wave: waveId, ...run }, 'reminders sent');
  }
}
