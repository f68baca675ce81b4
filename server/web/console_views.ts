import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { scriptJson } from '../views.js';
import { formatLocal } from './time_zone.js';

/**
 * The Handlebars templates of the admin console and the reports (views/console/), compiled once
 * at start. Every page template opens with `{{> top}}` and closes with `{{> bottom}}` (the
 * shared layout in views/console/partials). Helpers format numbers the same way everywhere:
 * `{{num x 2}}` prints a finite number with two decimals and an en dash for a missing one,
 * `{{pct x}}` a share as a whole percentage, `{{svg s}}` embeds a server-rendered chart,
 * `{{datetime t}}` a stored UTC time in the organisation's time zone (SEICI_TIME_ZONE).
 */
export class ConsoleViews {
  private readonly hbs = Handlebars.create();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();

  /** `timeZone`: the organisation's zone, in which `{{datetime t}}` shows a stored UTC time. */
  constructor(
    dir: string,
    private readonly timeZone = 'UTC',
  ) {
    const hbs = this.hbs;
    hbs.registerHelper('json', (value: unknown) => new Handlebars.SafeString(scriptJson(value)));
    hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    hbs.registerHelper('capital', (value: unknown) => (typeof value === 'string' && value ? value[0].toUpperCase() + value.slice(1) : value));
    hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
    hbs.registerHelper('num', (value: unknown, digits: unknown) => formatNumber(value, typeof digits === 'number' ? digits : 2));
    hbs.registerHelper('pval', (value: unknown) => (typeof value !== 'number' || !Number.isFinite(value) ? '–' : value < 0.001 ? '< .001' : value.toFixed(3).replace(/^0/, '')));
    hbs.registerHelper('pct', (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? `${Math.round(value * 100)}%` : '–'));
    hbs.registerHelper('svg', (value: unknown) => new Handlebars.SafeString(typeof value === 'string' ? value : ''));
    hbs.registerHelper('cell', (value: unknown) => (typeof value === 'string' ? value.replace('x', '×') : ''));
    hbs.registerHelper('absge', (value: unknown, threshold: unknown) => typeof value === 'number' && typeof threshold === 'number' && Math.abs(value) >= threshold);
    hbs.registerHelper('dec', (value: unknown) => (typeof value === 'number' ? value - 1 : value));
    hbs.registerHelper('date', (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : ''));
    hbs.registerHelper('datetime', (value: unknown) => formatLocal(value, timeZone));
    for (const file of readdirSync(join(dir, 'partials'))) {
      if (file.endsWith('.hbs')) hbs.registerPartial(file.slice(0, -4), readFileSync(join(dir, 'partials', file), 'utf8'));
    }
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.hbs')) this.templates.set(file.slice(0, -4), hbs.compile(readFileSync(join(dir, file), 'utf8'), { strict: false }));
    }
  }

  /** A stored UTC time as the pages show it, in the organisation's zone. */
  formatTime(isoUtc: string): string {
    return formatLocal(isoUtc, this.timeZone);
  }

  render(name: string, data: Record<string, unknown>): string {
    const template = this.templates.get(name);
    if (!template) throw new Error(`no console view named ${name}`);
    return template(data);
  }

  /** Renders a partial on its own (the fragments that pages refresh while a wave is open). */
  renderPartial(name: string, data: Record<string, unknown>): string {
    const partial = this.hbs.partials[name];
    if (partial === undefined) throw new Error(`no console partial named ${name}`);
    const template = typeof partial === 'string' ? this.hbs.compile(partial) : (partial as Handlebars.TemplateDelegate);
    return template(data);
  }
}

/** A number with `digits` decimals and a true minus sign; an en dash for anything not finite. */
export function formatNumber(value: unknown, digits = 2): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  const text = value.toFixed(digits);
  return text.startsWith('-') && Number(text) !== 0 ? `−${text.slice(1)}` : text.replace(/^-/, '');
}
