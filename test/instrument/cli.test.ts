import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { seici } from '../helpers/cli.js';

describe('seici instrument', () => {
  it('shows a version\'s items as JSON in German', () => {
    const r = seici(['instrument', 'show', '--version', 'v1', '--locale', 'de', '--json']);
    expect(r.status).toBe(0);
    expect(r.json.version).toBe('v1');
    expect(r.json.scaleMin).toBe(1);
    expect(r.json.scaleMax).toBe(7);
    expect(r.json.items.filter((i: any) => i.cell !== null)).toHaveLength(72);
    expect(r.json.items.find((i: any) => i.id === 'SxC_8')).toMatchObject({ cell: 'SxC', reverse: true, text: expect.stringMatching(/informelle Kontakte/) });
  });

  it('shows one cell as readable text', () => {
    const r = seici(['instrument', 'show', '--cell', 'TxA']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/TxA_8\s+\(R\)/);
    expect(r.stdout).not.toMatch(/SxA_1/);
  });

  it('exports the item CSV, the score map and the SurveyJS questionnaire', () => {
    const csv = seici(['instrument', 'export', '--format', 'csv']);
    expect(csv.status).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(96);
    expect(rows[7]).toMatchObject({ id: 'SxA_8', cell: 'SxA', reverse: 'true', scaleMin: '1', scaleMax: '7' });

    const map = seici(['instrument', 'export', '--format', 'map', '--json']);
    expect(Object.keys(map.json.items)).toHaveLength(72);

    const dir = mkdtempSync(join(tmpdir(), 'seici-instrument-'));
    const out = seici(['instrument', 'export', '--format', 'surveyjs', '--locale', 'de,en', '--seed', '7', '--out', 'survey.json', '--json'], dir);
    expect(out.status).toBe(0);
    expect(out.json).toMatchObject({ format: 'surveyjs', out: 'survey.json', items: 96 });
    const model = new Model(JSON.parse(readFileSync(join(dir, 'survey.json'), 'utf8')));
    expect(model.locale).toBe('de');
    expect(model.getAllQuestions()).toHaveLength(96);
  });

  it('lists and compares versions', () => {
    expect(seici(['instrument', 'versions', '--json']).json).toMatchObject({ current: 'v1', versions: [{ id: 'v1', items: 96, seiItems: 72 }] });
    const c = seici(['instrument', 'compare', '--from', 'v1', '--to', 'v1', '--json']);
    expect(c.json.unchanged).toHaveLength(96);
  });

  it('exits 2 with one line for an unknown version, locale, cell or format', () => {
    for (const args of [
      ['instrument', 'show', '--version', 'v9'],
      ['instrument', 'show', '--locale', 'fr'],
      ['instrument', 'show', '--cell', 'XxA'],
      ['instrument', 'export', '--format', 'xml'],
      ['instrument', 'export', '--format', 'surveyjs', '--locale', 'en,fr'],
      ['instrument', 'export', '--format', 'surveyjs', '--min-group', '2'],
    ]) {
      const r = seici(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
    expect(seici(['instrument', 'show', '--version', 'v9']).stderr).toMatch(/Unknown instrument version "v9"/);
    // The privacy statement may not promise a group size below the publication policy's floor of 3.
    expect(seici(['instrument', 'export', '--format', 'surveyjs', '--min-group', '2']).stderr).toMatch(/--min-group/);
  });

  it('derives a new version from a change list and compares it with its base', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seici-derive-'));
    writeFileSync(
      join(dir, 'changes.json'),
      JSON.stringify({
        id: 'v2',
        published: '2027-03-01',
        changes: [
          { kind: 'retire', itemId: 'SxA_5', reason: 'low item-total correlation' },
          { kind: 'revise', itemId: 'RxV_6', text: { en: 'Members of our unit personally know someone in each unit we depend on.' }, reason: 'shorter' },
        ],
      }),
    );
    const d = seici(['instrument', 'derive', '--from', 'v1', '--changes', 'changes.json', '--out', 'v2.json', '--json'], dir);
    expect(d.status).toBe(0);
    expect(d.json).toMatchObject({ from: 'v1', to: 'v2', retired: ['SxA_5'], revised: [{ from: 'RxV_6', to: 'RxV_9' }], added: [] });
    const c = seici(['instrument', 'compare', '--from', 'v1', '--to', 'v2.json', '--json'], dir);
    expect(c.json.unchanged).toHaveLength(94);
    const show = seici(['instrument', 'show', '--version', 'v2.json', '--cell', 'SxA', '--json'], dir);
    expect(show.json.items.map((i: any) => i.id)).toEqual(['SxA_1', 'SxA_2', 'SxA_3', 'SxA_4', 'SxA_6', 'SxA_7', 'SxA_8']);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ id: 'v3', published: '2027-04-01', changes: [{ kind: 'retire', itemId: 'SxA_5', reason: '' }] }));
    const bad = seici(['instrument', 'derive', '--from', 'v2.json', '--changes', 'bad.json', '--out', 'v3.json'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('seici: changes[0] (retire SxA_5): v2 has no item "SxA_5" to retire.');
  });
});
