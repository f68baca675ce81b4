import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded, seiAnswers, type ItemInfo } from '../server/answers.js';
import { api, DESKTOP, launchBrowser, PHONE, screenshot, startDemoServer, type Browser, type DemoServer } from './harness.js';

/**
 * The administrator half of issue 14, in Chromium at a 390 × 844 phone (touch) and a
 * 1280 × 900 screen, on the demo server with the organisation in Europe/Berlin.
 */
const TIME_ZONE = 'Europe/Berlin';
const DAY = 86_400_000;

/** Problems a person using a screen reader or a keyboard would meet on the page. */
async function accessibilityProblems(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const problems: string[] = [];
    document.querySelectorAll('table.data').forEach((t, k) => {
      if (!t.querySelector('caption')?.textContent?.trim()) problems.push(`table ${k + 1} has no caption`);
    });
    document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach((el) => {
      const id = el.getAttribute('id');
      const labelled = (id && document.querySelector(`label[for="${id}"]`)) || el.closest('label') || el.getAttribute('aria-label');
      if (!labelled) problems.push(`${el.tagName.toLowerCase()}[name=${el.getAttribute('name')}] has no label`);
    });
    document.querySelectorAll('figure.chart').forEach((f, k) => {
      const c = f.querySelector('.chart-svg');
      if (c?.getAttribute('role') !== 'img' || !c.getAttribute('aria-label')) problems.push(`chart ${k + 1} has no accessible name`);
      if (!f.querySelector('.chart-title')?.textContent?.trim()) problems.push(`chart ${k + 1} has no title`);
    });
    document.querySelectorAll('*').forEach((el) => {
      if (getComputedStyle(el).textTransform === 'uppercase') problems.push(`${el.tagName.toLowerCase()}.${el.className} is upper-cased by CSS`);
    });
    if (document.querySelectorAll('h1').length !== 1) problems.push('the page needs exactly one h1');
    return problems;
  });
}

/**
 * Charts that do not fill their card: the SVG narrower than the card's content box (or, on a
 * screen, wider). On a phone a chart keeps its drawn size so that its labels stay readable, and
 * is swiped across inside its card: there it may be wider than the card, never smaller than drawn.
 */
async function chartsNotFilling(p: Page): Promise<string[]> {
  return p.evaluate(() =>
    [...document.querySelectorAll('figure.chart')].flatMap((f, k) => {
      const svg = f.querySelector('svg');
      if (!svg) return [`chart ${k + 1} has no svg`];
      const style = getComputedStyle(f);
      const inner = f.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const width = svg.getBoundingClientRect().width;
      const phone = window.innerWidth <= 640;
      if (phone) {
        const drawn = svg.width.baseVal.value;
        if (width < inner - 2) return [`chart ${k + 1} is ${Math.round(width)} px wide in a ${Math.round(inner)} px card`];
        return width < drawn - 1 ? [`chart ${k + 1} is shrunk to ${Math.round((100 * width) / drawn)}% of its drawn size on a phone`] : [];
      }
      return Math.abs(width - inner) > 2 ? [`chart ${k + 1} is ${Math.round(width)} px wide in a ${Math.round(inner)} px card`] : [];
    }),
  );
}

/** Words in camelCase (`seiCi`, `reopenRate`): keys that should have been names. */
async function camelCaseWords(p: Page): Promise<string[]> {
  const text = (await p.locator('main').innerText()) + (await p.locator('main svg text').allTextContents()).join(' ');
  return [...new Set(text.match(/\b[a-z]+[A-Z][A-Za-z]*\b/g) ?? [])];
}

describe.each([
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const)('administrator console on a %s', (label, device) => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  let token = '';
  let items: ItemInfo[] = [];
  let openWaveId = 0;
  const shot = (name: string) => screenshot(page, `console/${label}-${name}`);
  const url = (path: string) => `${server.url}${path}`;
  const flash = async (kind: 'notice' | 'error') => (await page.locator(`.flash.${kind}`).first().textContent()) ?? '';
  const respond = async (links: readonly string[], answers: (k: number) => Record<string, number | null>, complete = true) => {
    for (const [k, link] of links.entries()) {
      const res = await fetch(url('/api/v1/responses'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: link.split('/s/')[1], answers: answers(k), complete }),
      });
      expect(res.status).toBe(201);
    }
  };
  const links = async (waveId: number, unitKey: string, count: number) =>
    (await api<{ invitations: { url: string }[] }>(server.url, 'POST', `/api/v1/waves/${waveId}/invitations`, { unitKey, count })).body.invitations.map((i) => i.url);

  beforeAll(async () => {
    server = await startDemoServer({ SEICI_TIME_ZONE: TIME_ZONE });
    browser = await launchBrowser(device);
    page = await browser.page();
    // A named admin token to sign in with: the header names it.
    token = (await api<{ token: string }>(server.url, 'POST', '/api/v1/admin/tokens', { name: 'alice' })).body.token;
    items = (await api<{ items: ItemInfo[] }>(server.url, 'GET', '/api/v1/instrument')).body.items;
    for (const [key, name] of [
      ['tiny-team', 'Tiny team'],
      ['split-team', 'Split team'],
      ['late-team', 'Late team'],
    ]) {
      expect((await api(server.url, 'POST', '/api/v1/units', { key, name })).status).toBe(201);
    }
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens the page that was asked for after sign-in, names the token in the header, and never redirects elsewhere', async () => {
    const asked = '/admin/audit?action=session.';
    await page.goto(url(asked));
    expect(page.url()).toBe(url(`/login?next=${encodeURIComponent(asked)}`));
    await shot('01-login-deep-link');
    await page.getByLabel('Admin token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url(asked));
    expect(await page.locator('h1').textContent()).toBe('Audit log');
    expect(await page.getByTestId('signed-in-as').textContent()).toMatch(/Signed in with\s+alice/);
    expect(await page.getByTestId('audit').textContent()).toContain('session.login');
    await shot('02-deep-link-landed');
    for (const next of ['//evil.example/admin', 'https://evil.example/admin', '/\\evil.example', '/admin/..//evil.example', '/login', 'javascript:alert(1)']) {
      const res = await page.request.post(url('/login'), { form: { token, next }, maxRedirects: 0 });
      expect(res.status(), next).toBe(303);
      expect(res.headers().location, next).toBe('/admin');
    }
  }, 60_000);

  it('creates a wave in the organisation\'s time zone, keeps what was typed when it is refused, and warns that reminders need SMTP', async () => {
    await page.goto(url('/admin/waves'));
    expect(await page.getByTestId('reminder-smtp-warning').isVisible()).toBe(true);
    await page.getByLabel('Name', { exact: true }).fill('January pulse');
    await page.getByLabel('Opens').fill('2027-01-10T09:00');
    await page.getByLabel('Closes').fill('2027-01-05T09:00');
    for (const box of await page.locator('input[name=unitKeys]').all()) await box.uncheck();
    await page.locator('input[name=unitKeys][value="eng-U1"]').check();
    await page.getByRole('button', { name: 'Create wave' }).click();
    // Refused: the form comes back with everything typed, and the message in the form's words and zone.
    expect(await flash('error')).toBe('Closes (2027-01-05 09:00 CET) must be later than Opens (2027-01-10 09:00 CET).');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('January pulse');
    expect(await page.getByLabel('Opens').inputValue()).toBe('2027-01-10T09:00');
    expect(await page.locator('input[name=unitKeys]:checked').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))).toEqual(['eng-U1']);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot('03-wave-form-kept-after-error');

    await page.getByLabel('Closes').fill('2027-01-24T17:30');
    await page.getByLabel('Reminder (optional)').fill('2027-01-17T09:00');
    await page.getByRole('button', { name: 'Create wave' }).click();
    await page.waitForURL(/\/admin\/waves\/\d+\?notice=/);
    const id = Number(/\/admin\/waves\/(\d+)/.exec(page.url())![1]);
    // Stored in UTC: 09:00 in Berlin in January is 08:00 UTC.
    const wave = await api<{ opensAt: string; closesAt: string; reminders: string[]; status: string }>(server.url, 'GET', `/api/v1/waves/${id}`);
    expect(wave.body).toMatchObject({ opensAt: '2027-01-10T08:00:00.000Z', closesAt: '2027-01-24T16:30:00.000Z', reminders: ['2027-01-17T08:00:00.000Z'], status: 'scheduled' });
    expect(await page.locator('.facts').textContent()).toContain('2027-01-10 09:00 CET');
    await shot('04-draft-wave');
  }, 60_000);

  it('edits the name, dates and reminders of a wave that has not closed, keeps the typed values on error, and deletes a draft', async () => {
    const waves = await api<{ waves: { id: number; name: string }[] }>(server.url, 'GET', '/api/v1/waves');
    const id = waves.body.waves.find((w) => w.name === 'January pulse')!.id;
    await page.goto(url(`/admin/waves/${id}`));
    const edit = page.getByTestId('edit-wave');
    await edit.getByLabel('Name').fill('Typed but refused');
    await edit.getByLabel('Closes').fill('2027-01-01T00:00');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    expect(await flash('error')).toMatch(/^Closes \(2027-01-01 00:00 CET\) must be later than Opens/);
    expect(await page.getByTestId('edit-wave').getByLabel('Name').inputValue()).toBe('Typed but refused');
    expect(await page.getByTestId('edit-wave').getByLabel('Closes').inputValue()).toBe('2027-01-01T00:00');
    await shot('05-wave-edit-refused');

    await edit.getByLabel('Name').fill('January pulse, revised');
    await edit.getByLabel('Opens').fill('2027-01-11T08:00');
    await edit.getByLabel('Closes').fill('2027-01-31T18:00');
    await edit.getByLabel('Reminder 2').fill('2027-01-25T09:00');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    expect(await flash('notice')).toBe('The wave was saved. Its reminders will not be sent: this server has no SMTP_HOST configured.');
    const wave = await api<{ name: string; opensAt: string; closesAt: string; reminders: string[] }>(server.url, 'GET', `/api/v1/waves/${id}`);
    expect(wave.body).toMatchObject({
      name: 'January pulse, revised',
      opensAt: '2027-01-11T07:00:00.000Z',
      closesAt: '2027-01-31T17:00:00.000Z',
      reminders: ['2027-01-17T08:00:00.000Z', '2027-01-25T08:00:00.000Z'],
    });
    expect(await page.locator('h1').textContent()).toContain('January pulse, revised');
    await shot('06-wave-edited');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete draft' }).click();
    await page.waitForURL(/\/admin\/waves\?notice=/);
    expect(await flash('notice')).toBe('The draft "January pulse, revised" was deleted.');
    expect((await api(server.url, 'GET', `/api/v1/waves/${id}`)).status).toBe(404);
  }, 60_000);

  it('extends an open wave and adds a unit to it', async () => {
    const now = Date.now();
    const created = await api<{ id: number; closesAt: string }>(server.url, 'POST', '/api/v1/waves', {
      name: 'Open pulse',
      opensAt: new Date(now - 60_000).toISOString(),
      closesAt: new Date(now + 7 * DAY).toISOString(),
      unitKeys: ['tiny-team', 'split-team'],
    });
    expect(created.status).toBe(201);
    openWaveId = created.body.id;
    await page.goto(url(`/admin/waves/${openWaveId}`));
    expect(await page.getByTestId('wave-status').textContent()).toBe('open');
    expect(await page.getByTestId('edit-wave').getByLabel('Opens').isDisabled()).toBe(true);
    await page.getByLabel('Close later by').selectOption('7');
    await page.getByRole('button', { name: 'Extend' }).click();
    expect(await flash('notice')).toMatch(/^The wave now closes 7 days later, on \d{4}-\d{2}-\d{2} \d{2}:\d{2} CES?T\.$/);
    const extended = await api<{ closesAt: string }>(server.url, 'GET', `/api/v1/waves/${openWaveId}`);
    expect(Date.parse(extended.body.closesAt) - Date.parse(created.body.closesAt)).toBe(7 * DAY);

    await page.getByTestId('add-units').getByLabel('Units to add').selectOption('late-team');
    await page.getByRole('button', { name: 'Add to the wave' }).click();
    expect(await flash('notice')).toBe('Added 1 unit to the wave; issue their invitation links below.');
    expect(await page.getByTestId('wave-units').textContent()).toContain('Late team');
    const wave = await api<{ unitKeys: string[] }>(server.url, 'GET', `/api/v1/waves/${openWaveId}`);
    expect(wave.body.unitKeys).toEqual(['late-team', 'split-team', 'tiny-team']);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot('07-open-wave-extended');
  }, 60_000);

  it('shows invited, started and complete counts and rates for every unit, a unit below the minimum included, while its results stay hidden', async () => {
    const tiny = await links(openWaveId, 'tiny-team', 4);
    const split = await links(openWaveId, 'split-team', 6);
    const random = seeded(7);
    await respond(tiny.slice(0, 2), () => seiAnswers(items, random, 4));
    await respond(tiny.slice(2, 3), () => ({ [items.find((i) => i.cell !== null)!.id]: 4 }), false);
    // Split team disagrees completely: three members answer every item at the bottom, three at the top.
    await respond(split, (k) => Object.fromEntries(items.filter((i) => i.cell !== null).map((i) => [i.id, k < 3 ? i.min : i.max])));
    await page.goto(url(`/admin/waves/${openWaveId}`));
    const row = async (key: string) => (await page.locator(`[data-testid=response-rates] tr[data-unit="${key}"]`).innerText()).replace(/\s+/g, ' ');
    expect(await row('tiny-team')).toMatch(/^Tiny team 4 3 75% 2 50% Hidden: fewer than 5 complete$/);
    expect(await row('split-team')).toMatch(/^Split team 6 6 100% 6 100% Reportable$/);
    expect(await row('late-team')).toMatch(/^Late team 0 0 – 0 – Hidden: fewer than 5 complete$/);
    expect(await page.getByTestId('overall-rate-value').textContent()).toBe('80%');
    expect(await chartsNotFilling(page)).toEqual([]);
    await shot('08-participation');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Close wave' }).click();
    await expect
      .poll(async () => (await api<{ analyses: { status: string }[] }>(server.url, 'GET', `/api/v1/waves/${openWaveId}/analyses`)).body.analyses[0]?.status, { timeout: 120_000, interval: 1000 })
      .toBe('done');
    await page.goto(url(`/admin/waves/${openWaveId}`));
    // Counts stay visible after closing; the small unit has no report and appears nowhere in the reports.
    expect(await row('tiny-team')).toContain('Tiny team 4 3');
    expect(await page.getByTestId('unit-report-links').innerText()).not.toContain('Tiny team');
    const report = await page.request.get(url(`/admin/waves/${openWaveId}/units/tiny-team/report`));
    expect(report.status()).toBe(404);
    await page.goto(url('/admin/reports'));
    expect(await page.locator('main').innerText()).not.toContain('Tiny team');
    expect((await page.locator(`#wave-${openWaveId} svg`).innerHTML()).includes('Tiny team')).toBe(false);
    await shot('09-closed-wave-counts');
  }, 180_000);

  it('reports in names with a banner when aggregation is not justified and says a single unit has nothing to compare with', async () => {
    await page.goto(url(`/admin/waves/${openWaveId}/units/split-team/report`));
    expect(await page.locator('h1').textContent()).toBe('Unit report: Split team');
    const banner = page.getByTestId('aggregation-banner');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toMatch(/rwg\(j\) = 0\.\d\d on its least agreed dimension, below the \.70/);
    expect(await page.getByTestId('nothing-to-compare').textContent()).toContain('Split team is the only unit published in Open pulse, so there is nothing to compare it with');
    expect(await page.locator('main').innerText()).not.toMatch(/compared with 1 unit|No diagnosis/);
    expect(await camelCaseWords(page)).toEqual([]);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await chartsNotFilling(page)).toEqual([]);
    await shot('10-unit-report-banner');
    await page.goto(url('/admin/reports'));
    expect(await page.locator(`#wave-${openWaveId} [data-testid=nothing-to-compare]`).textContent()).toContain('nothing to compare');
  }, 60_000);

  it('shows the organisation-wide units × cells heatmap of published units, by name, filling its card', async () => {
    const waves = await api<{ waves: { id: number; name: string }[] }>(server.url, 'GET', '/api/v1/waves');
    const autumn = waves.body.waves.find((w) => w.name.startsWith('Autumn'))!;
    const published = (await api<{ units: { unitKey: string; suppressed: boolean }[] }>(server.url, 'GET', `/api/v1/waves/${autumn.id}/report`)).body.units;
    const units = (await api<{ units: { key: string; name: string }[] }>(server.url, 'GET', '/api/v1/units')).body.units;
    const name = new Map(units.map((u) => [u.key, u.name]));
    await page.goto(url('/admin/reports'));
    const heatmap = page.locator(`#wave-${autumn.id} [data-testid=organisation-heatmap]`);
    expect(await heatmap.locator('.chart-svg').getAttribute('role')).toBe('img');
    expect(await heatmap.locator('.chart-svg').getAttribute('aria-label')).toMatch(/^Heatmap of the nine cell scores, S×A to T×V, of every published unit of Autumn/);
    const labels = await heatmap.locator('svg text').allTextContents();
    for (const u of published) {
      const shown = labels.some((t) => t.startsWith(name.get(u.unitKey)!));
      expect(shown, u.unitKey).toBe(!u.suppressed);
      expect(labels, u.unitKey).not.toContain(u.unitKey);
    }
    for (const cell of ['S×A', 'S×V', 'T×V']) expect(labels).toContain(cell);
    expect(labels).not.toContain('SxV');
    expect(await chartsNotFilling(page)).toEqual([]);
    expect(await camelCaseWords(page)).toEqual([]);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot('11-reports-heatmap');
    await heatmap.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-output/screenshots/console/${label}-12-heatmap-in-view.png` });
  }, 60_000);

  it('views, edits and versions the breakpoint rules', async () => {
    await page.goto(url('/admin'));
    await page.getByRole('link', { name: 'Breakpoint rules' }).click();
    expect(await page.getByTestId('rule-versions').textContent()).toContain('seici-default-1');
    await shot('13-rules');
    await page.getByRole('link', { name: 'seici-default-1' }).click();
    expect(await page.getByTestId('rule-signals').textContent()).toContain('Reopen rate');
    expect(await page.getByTestId('edit-rules').count()).toBe(0); // built in: versioned, never edited
    const fresh = page.getByTestId('new-rules');
    await fresh.getByLabel('Version name').fill('team-rules-2');
    await fresh.getByLabel('Persistence (periods over the threshold)').fill('5');
    await fresh.getByLabel('Reopen rate: threshold').fill('0.25');
    await fresh.getByRole('button', { name: 'Save new version' }).click();
    await page.waitForURL(/\/admin\/rules\/team-rules-2\?notice=/);
    expect(await flash('notice')).toBe('Version team-rules-2 was saved; it is in force for the next wave that opens.');
    expect(await page.getByTestId('rule-signals').textContent()).toContain('≥ 0.25');

    const edit = page.getByTestId('edit-rules');
    await edit.getByLabel('Persistence (periods over the threshold)').fill('six');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    expect(await flash('error')).toBe('Persistence must be a number; got "six".');
    expect(await page.getByTestId('edit-rules').getByLabel('Persistence (periods over the threshold)').inputValue()).toBe('six');
    await shot('14-rules-edit-refused');
    await page.getByTestId('edit-rules').getByLabel('Persistence (periods over the threshold)').fill('6');
    await page.getByTestId('edit-rules').getByRole('button', { name: 'Save changes' }).click();
    expect(await flash('notice')).toBe('Version team-rules-2 was changed.');
    const stored = await api<{ inForce: boolean; rules: { persistence: number; signals: { reopenRate: { threshold: { level: number } } } } }>(server.url, 'GET', '/api/v1/breakpoint-rules/team-rules-2');
    expect(stored.body.inForce).toBe(true);
    expect(stored.body.rules.persistence).toBe(6);
    expect(stored.body.rules.signals.reopenRate.threshold.level).toBe(0.25);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot('15-rules-version');
  }, 60_000);

  it('creates and revokes admin tokens and ends console sessions', async () => {
    await page.goto(url('/admin/access'));
    await page.getByLabel('Name').fill('bob');
    await page.getByRole('button', { name: 'Create token' }).click();
    const created = await page.getByTestId('new-token').getByLabel('Admin token').inputValue();
    expect(created.length).toBeGreaterThanOrEqual(40);
    expect((await fetch(url('/api/v1/units'), { headers: { Authorization: `Bearer ${created}` } })).status).toBe(200);
    await shot('16-token-created');
    await page.goto(url('/admin/access'));
    expect(await page.locator('body').innerText()).not.toContain(created);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke token bob' }).click();
    expect(await flash('notice')).toBe('Token "bob" was revoked; the sessions opened with it have ended.');
    expect(await page.locator('[data-token=bob]').innerText()).toContain('Revoked');
    expect((await fetch(url('/api/v1/units'), { headers: { Authorization: `Bearer ${created}` } })).status).toBe(401);

    expect(await page.getByTestId('sessions').innerText()).toContain('This session');
    const other = page.locator('[data-testid=sessions] tbody tr', { hasNotText: 'This session' }).first();
    const otherId = await other.getAttribute('data-session');
    await other.getByRole('button', { name: `End session ${otherId}` }).click();
    expect(await flash('notice')).toBe(`Session ${otherId} was ended.`);
    expect(await page.locator(`[data-session="${otherId}"]`).count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot('17-tokens-sessions');
  }, 60_000);

  it('filters the audit log', async () => {
    await page.goto(url('/admin/audit'));
    await page.getByLabel('Action starts with').fill('wave.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=wave\./);
    const actions = await page.locator('[data-testid=audit] tbody th').allTextContents();
    expect(actions.length).toBeGreaterThan(3);
    expect(actions.every((a) => a.startsWith('wave.'))).toBe(true);
    for (const a of ['wave.create', 'wave.update', 'wave.delete', 'wave.add-units', 'wave.close']) expect(actions).toContain(a);
    expect(await page.getByLabel('Action starts with').inputValue()).toBe('wave.');
    await page.getByLabel('Actor').fill('token:alice');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/actor=token%3Aalice/);
    const actors = await page.locator('[data-testid=audit] tbody tr td:nth-child(2)').allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set(['token:alice']));
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot('18-audit-filtered');
  }, 60_000);

  it('links the instrument versions and fits every page on the screen, with a screenshot of each', async () => {
    await page.goto(url('/admin'));
    await page.getByRole('link', { name: 'Instrument', exact: true }).click();
    const version = page.locator('main a[href^="/admin/instrument/"]').first();
    await version.click();
    expect(await page.locator('h1').textContent()).toMatch(/^Instrument /);
    const waves = await api<{ waves: { id: number; name: string }[] }>(server.url, 'GET', '/api/v1/waves');
    const autumn = waves.body.waves.find((w) => w.name.startsWith('Autumn'))!;
    const pages: [string, string][] = [
      ['/admin', 'overview'],
      ['/admin/units', 'units'],
      ['/admin/waves', 'waves'],
      [`/admin/waves/${autumn.id}`, 'wave-closed'],
      [`/admin/waves/${openWaveId}`, 'wave-small-units'],
      ['/admin/reports', 'reports'],
      [`/admin/waves/${autumn.id}/units/eng-U1/report`, 'unit-report'],
      ['/admin/instrument', 'instrument'],
      ['/admin/rules', 'rules'],
      ['/admin/rules/seici-default-1', 'rule-version'],
      ['/admin/access', 'access'],
      ['/admin/audit', 'audit'],
      ['/admin/traces', 'traces'],
    ];
    for (const [path, name] of pages) {
      const res = await page.goto(url(path));
      expect(res?.status(), path).toBe(200);
      expect(await accessibilityProblems(page), path).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${path} scrolls sideways`).toBe(true);
      await shot(`20-page-${name}`);
    }
  }, 120_000);
});
