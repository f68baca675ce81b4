import { describe, expect, it } from 'vitest';
import {
  CELLS,
  INSTRUMENT_V1,
  LOCALES,
  getInstrumentVersion,
  isInterfaceRole,
  itemMap,
  itemsByCell,
  seiItems,
} from '../../instrument/index.js';

const NEGATION = /\b(not|no|never|nobody|nobody's|nothing|none|neither|nor|without)\b|n't\b/gi;

describe('SEI-CI item bank v1', () => {
  const sei = seiItems(INSTRUMENT_V1);

  it('has 9 cells x 8 items with ids <cell>_1 ... <cell>_8', () => {
    expect(sei).toHaveLength(72);
    const byCell = itemsByCell(INSTRUMENT_V1);
    for (const cell of CELLS) {
      expect(byCell[cell].map((i) => i.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `${cell}_${n}`));
    }
  });

  it('has unique ids across all items', () => {
    const ids = INSTRUMENT_V1.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has exactly one reverse-keyed item per cell, item 8', () => {
    for (const cell of CELLS) {
      const reversed = sei.filter((i) => i.cell === cell && i.reverse).map((i) => i.id);
      expect(reversed).toEqual([`${cell}_8`]);
    }
  });

  it('answers every SEI-CI item on the 7-point agreement scale with labelled anchors', () => {
    expect(INSTRUMENT_V1.scaleMin).toBe(1);
    expect(INSTRUMENT_V1.scaleMax).toBe(7);
    const format = INSTRUMENT_V1.responseFormats[sei[0].response];
    expect(format.anchors.map((a) => a.value)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(format.anchors[0].label.en).toBe('Strongly disagree');
    expect(format.anchors[6].label.en).toBe('Strongly agree');
    expect(format.anchors[6].label.de).toBe('Stimme voll und ganz zu');
    for (const item of sei) expect([item.response, item.scaleMin, item.scaleMax]).toEqual(['agreement7', 1, 7]);
  });

  it('has complete, distinct English and German text for every item and anchor', () => {
    for (const item of INSTRUMENT_V1.items) {
      for (const l of LOCALES) expect(item.text[l].trim().length, `${item.id} ${l}`).toBeGreaterThan(20);
      expect(item.text.de).not.toBe(item.text.en);
      expect(item.text.en).toMatch(/[.?]$/);
      expect(item.text.de).toMatch(/[.?]$/);
    }
    for (const format of Object.values(INSTRUMENT_V1.responseFormats)) {
      for (const a of format.anchors) for (const l of LOCALES) expect(a.label[l].length).toBeGreaterThan(1);
    }
    const texts = INSTRUMENT_V1.items.map((i) => i.text.en);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('words each SEI-CI item as one statement about the unit with at most one negation', () => {
    for (const item of sei) {
      const en = item.text.en;
      expect(en.slice(0, -1), `${item.id} is one sentence`).not.toMatch(/[.?!;]\s/);
      expect(en, `${item.id} refers to the unit or its people`).toMatch(/\b(our|we|us)\b/i);
      expect((en.match(NEGATION) ?? []).length, `${item.id} has no double negative`).toBeLessThanOrEqual(1);
      expect(item.text.de, `${item.id} German refers to the unit`).toMatch(/\b(unsere[mnrs]?|wir|uns)\b/i);
    }
  });

  it('has the supplementary scales with their own ids and ranges', () => {
    const ids = (scale: string) => INSTRUMENT_V1.items.filter((i) => i.scale === scale).map((i) => i.id);
    expect(ids('dynamism').length).toBeGreaterThanOrEqual(4);
    expect(ids('dynamism').every((id) => /^DYN_\d+$/.test(id))).toBe(true);
    expect(ids('relationalCoordination')).toEqual(['RC_1', 'RC_2', 'RC_3', 'RC_4', 'RC_5', 'RC_6', 'RC_7']);
    expect(ids('visibilityCoherence').length).toBeGreaterThanOrEqual(4);
    expect(ids('visibilityCoherence').every((id) => /^VISC_\d+$/.test(id))).toBe(true);
    expect(ids('visibilityOutcome').length).toBeGreaterThanOrEqual(4);
    expect(ids('visibilityOutcome').every((id) => /^VISO_\d+$/.test(id))).toBe(true);
    expect(ids('interfaceRole')).toEqual(['ROLE']);
    for (const item of INSTRUMENT_V1.items.filter((i) => i.scale === 'relationalCoordination')) {
      expect([item.scaleMin, item.scaleMax, item.reverse, item.cell]).toEqual([1, 5, false, null]);
    }
  });

  it('covers Gittell\'s seven relational-coordination dimensions in order', () => {
    const rc = INSTRUMENT_V1.items.filter((i) => i.scale === 'relationalCoordination').map((i) => i.text.en.toLowerCase());
    const cues = [/how often .* communicate/, /in time/, /accurate/, /problem/, /share .* goals/, /know about/, /respect/];
    cues.forEach((cue, k) => expect(rc[k]).toMatch(cue));
  });

  it('codes the interface role as a nominal choice whose codes 2-7 are interface roles', () => {
    const role = INSTRUMENT_V1.items.find((i) => i.id === 'ROLE')!;
    const format = INSTRUMENT_V1.responseFormats[role.response];
    expect(format.nominal).toBe(true);
    expect(format.anchors.length).toBeGreaterThanOrEqual(4);
    expect(format.anchors.map((a) => a.label.en).join(' ')).toMatch(/Product owner.*Integrator.*coordinator/is);
    expect(isInterfaceRole(1)).toBe(false);
    for (let c = 2; c <= format.max; c++) expect(isInterfaceRole(c)).toBe(true);
    expect(isInterfaceRole(format.max + 1)).toBe(false);
  });

  it('gives the score command\'s item map for the SEI-CI items only', () => {
    const map = itemMap(getInstrumentVersion('v1'));
    expect(map.scaleMin).toBe(1);
    expect(map.scaleMax).toBe(7);
    expect(Object.keys(map.items)).toHaveLength(72);
    expect(map.items.TxC_8).toEqual({ cell: 'TxC', reverse: true });
    expect(map.items.TxC_1).toEqual({ cell: 'TxC', reverse: false });
    expect(map.items.DYN_1).toBeUndefined();
  });
});
