import { HttpError } from '../../errors.js';
import { requestAnalysis } from '../../handlers/analyses.js';
import { createInvitations, emailInvitations } from '../../handlers/invitations.js';
import { addUnitsToWave, closeWave, createWave, deleteWave, updateWave } from '../../handlers/waves.js';
import { findWave } from '../../queries/waves.js';
import { Reply } from '../../routes/api_route.js';
import { InvitationCreate, InvitationEmail, WaveCreate, WaveUnitsAdd, WaveUpdate } from '../../schemas.js';
import { spreadsheetCsv } from '../../spreadsheet_csv.js';
import { validate } from '../../validation.js';
import { waveLive, wavePage, wavesPage } from '../pages.js';
import { FormError, Fragment, Page, backWithError, notice, page, type PageContext, type PageRoute } from '../page_route.js';
import { fromLocalInput } from '../time_zone.js';

/** A refused wave form's message in the form's words: its labels for the API's field names, times in the organisation's zone. */
function formMessage(ctx: PageContext, message: string): string {
  return message
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g, (t) => ctx.kit.views.formatTime(t))
    .replace(/\bopensAt\b/g, 'Opens')
    .replace(/\bclosesAt\b/g, 'Closes')
    .replace(/\breminders\b/g, 'Reminders')
    .replace(/\bunitKeys\b/g, 'Units');
}

/** A time typed in a datetime-local field, in the organisation's zone, as ISO 8601 UTC. */
const utcField = (ctx: PageContext, value: string) => fromLocalInput(value, ctx.s.config.timeZone);

/** The new-wave form as typed. */
const typedWave = ({ field, fields }: PageContext) => ({
  name: field('name'),
  opensAt: field('opensAt'),
  closesAt: field('closesAt'),
  reminder: field('reminder'),
  minGroupSize: field('minGroupSize'),
  instrumentVersion: field('instrumentVersion'),
  unitKeys: fields('unitKeys'),
  locales: fields('locales'),
});

/** The wave-edit form as typed. */
const typedEdit = ({ field, fields }: PageContext) => ({ name: field('name'), opensAt: field('opensAt'), closesAt: field('closesAt'), reminders: fields('reminders') });

const wavePath = ({ id }: PageContext) => `/admin/waves/${id}`;

/** A refused change to a wave: its page again, with `typed` kept in the form and the error above it. */
async function waveRefused(ctx: PageContext, err: HttpError, typed?: Parameters<typeof wavePage>[2]): Promise<FormError> {
  const data = await wavePage(ctx.s, ctx.id, typed);
  return new FormError(new Page('wave', 'waves', data.wave.name, data), formMessage(ctx, err.message), err.status);
}

async function existingWave(ctx: PageContext) {
  const wave = await findWave(ctx.s.db, ctx.id);
  if (!wave) throw new HttpError(404, `No wave has the id ${ctx.id}.`);
  return wave;
}

/** The waves: list, creation, a wave's page and its live panel, its changes, invitations, closing and analysis. */
export const waveRoutes: readonly PageRoute[] = [
  page({ kind: 'page', path: '/admin/waves', run: async ({ s }) => new Page('waves', 'waves', 'Waves', await wavesPage(s)) }),
  page({
    kind: 'form', path: '/admin/waves',
    run: async (ctx) => {
      const typed = typedWave(ctx);
      const input = validate(WaveCreate, {
        name: typed.name,
        opensAt: utcField(ctx, typed.opensAt),
        closesAt: utcField(ctx, typed.closesAt),
        unitKeys: typed.unitKeys,
        ...(typed.instrumentVersion ? { instrumentVersion: typed.instrumentVersion } : {}),
        ...(typed.locales.length ? { locales: typed.locales } : {}),
        ...(typed.reminder ? { reminders: [utcField(ctx, typed.reminder)] } : {}),
        ...(typed.minGroupSize ? { minGroupSize: Number(typed.minGroupSize) } : {}),
      });
      const created = await createWave(ctx.s, ctx.user.actor, input);
      return notice(`/admin/waves/${created.id}`, 'The wave was created. Issue invitation links for each unit below.');
    },
    // The form comes back with everything typed and the error above it.
    refused: async (ctx, err) => new FormError(new Page('waves', 'waves', 'Waves', await wavesPage(ctx.s, typedWave(ctx))), formMessage(ctx, err.message), err.status),
  }),
  page({
    kind: 'form', path: '/admin/waves/:id/edit',
    run: async (ctx) => {
      const typed = typedEdit(ctx);
      await existingWave(ctx);
      const input = validate(WaveUpdate, {
        name: typed.name,
        // A wave that has opened shows its opening time without a field; the stored one stands.
        ...(typed.opensAt ? { opensAt: utcField(ctx, typed.opensAt) } : {}),
        closesAt: utcField(ctx, typed.closesAt),
        reminders: typed.reminders.map((r) => utcField(ctx, r)),
      });
      await updateWave(ctx.s, ctx.user.actor, ctx.id, input);
      const reminders = input.reminders?.length ?? 0;
      return notice(wavePath(ctx), `The wave was saved.${reminders > 0 && !ctx.s.mailer ? ' Its reminders will not be sent: this server has no SMTP_HOST configured.' : ''}`);
    },
    refused: (ctx, err) => waveRefused(ctx, err, typedEdit(ctx)),
  }),
  page({
    kind: 'form', path: '/admin/waves/:id/extend',
    run: async (ctx) => {
      const wave = await existingWave(ctx);
      const days = Number(ctx.field('days'));
      if (!Number.isInteger(days) || days < 1 || days > 90) throw new HttpError(400, 'days must be a whole number from 1 to 90.');
      const closesAt = new Date(Date.parse(wave.closesAt) + days * 86_400_000).toISOString();
      const updated = await updateWave(ctx.s, ctx.user.actor, ctx.id, validate(WaveUpdate, { closesAt }));
      return notice(wavePath(ctx), `The wave now closes ${days} day${days === 1 ? '' : 's'} later, on ${ctx.kit.views.formatTime(updated.closesAt)}.`);
    },
    refused: (ctx, err) => waveRefused(ctx, err),
  }),
  page({
    kind: 'form', path: '/admin/waves/:id/units',
    run: async (ctx) => {
      const input = validate(WaveUnitsAdd, { unitKeys: ctx.fields('unitKeys') }, 'unitKeys');
      const result = await addUnitsToWave(ctx.s, ctx.user.actor, ctx.id, input);
      return notice(wavePath(ctx), result.added === 0 ? 'The wave surveys those units already.' : `Added ${result.added} unit${result.added === 1 ? '' : 's'} to the wave; issue their invitation links below.`);
    },
    refused: (ctx, err) => waveRefused(ctx, err),
  }),
  page({
    kind: 'form', path: '/admin/waves/:id/delete', refused: backWithError(wavePath),
    run: async (ctx) => {
      const wave = await findWave(ctx.s.db, ctx.id);
      await deleteWave(ctx.s, ctx.user.actor, ctx.id);
      return notice('/admin/waves', `The draft "${wave?.name ?? ctx.id}" was deleted.`);
    },
  }),
  page({
    kind: 'page', path: '/admin/waves/:id',
    run: async ({ s, id }) => {
      const data = await wavePage(s, id);
      return new Page('wave', 'waves', data.wave.name, data);
    },
  }),
  page({
    kind: 'page', path: '/admin/waves/:id/live',
    run: async ({ s, id }) => {
      const wave = await findWave(s.db, id);
      if (!wave) throw new HttpError(404, 'No such wave.');
      return new Fragment('wave_live', await waveLive(s, wave));
    },
  }),
  page({
    kind: 'form', path: '/admin/waves/:id/invitations', refused: backWithError(wavePath),
    run: async (ctx) => {
      const input = validate(InvitationCreate, { unitKey: ctx.field('unitKey'), count: Number(ctx.field('count')) });
      const issued = await createInvitations(ctx.s, ctx.user.actor, ctx.id, input);
      const csv = spreadsheetCsv([['unitKey', 'url'], ...issued.invitations.map((i) => [input.unitKey, i.url])]);
      return new Reply(200, csv, 'text/csv; charset=utf-8', `wave-${ctx.id}-${input.unitKey}-links.csv`);
    },
  }),
  page({
    kind: 'form', path: '/admin/waves/:id/invitations/email', bodyLimit: '1mb', refused: backWithError(wavePath),
    run: async (ctx) => {
      const emails = ctx.field('emails').split(/[\s,;]+/).filter(Boolean);
      const input = validate(InvitationEmail, { unitKey: ctx.field('unitKey'), emails });
      const result = await emailInvitations(ctx.s, ctx.user.actor, ctx.id, input);
      const failed = result.failed.length ? ` ${result.failed.length} could not be delivered: ${result.failed.join(', ')}.` : '';
      return notice(wavePath(ctx), `Sent ${result.sent} invitation e-mail${result.sent === 1 ? '' : 's'} for unit "${input.unitKey}".${failed}`);
    },
  }),
  page({
    kind: 'form', path: '/admin/waves/:id/close', refused: backWithError(wavePath),
    run: async (ctx) => {
      await closeWave(ctx.s, ctx.user.actor, ctx.id);
      return notice(wavePath(ctx), 'The wave is closed; it takes no more answers.');
    },
  }),
  page({
    kind: 'form', path: '/admin/waves/:id/analyses', refused: backWithError(wavePath),
    run: async (ctx) => {
      const analysis = await requestAnalysis(ctx.s, ctx.user.actor, ctx.id);
      return notice(wavePath(ctx), `Analysis ${analysis.id} was started; its progress shows below.`);
    },
  }),
];
