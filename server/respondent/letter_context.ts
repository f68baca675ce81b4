import type { LetterContext } from '../mail.js';
import type { WaveRecord } from '../queries/waves.js';
import type { Services } from '../services.js';

/** What the invitation and reminder e-mails of a wave say about it: the questionnaire's title (never the wave's name), languages, closing time, group size. */
export async function letterContext(s: Services, wave: WaveRecord): Promise<LetterContext> {
  const instrument = await s.instruments.document(wave.instrumentVersion);
  if (!instrument) throw new Error(`wave ${wave.id} pins instrument version ${wave.instrumentVersion}, which is not stored`);
  return { title: instrument.title, locales: wave.locales, closesAt: wave.closesAt, minGroupSize: wave.minGroupSize, timeZone: s.config.timeZone };
}
