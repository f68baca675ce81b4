import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  INSTRUMENT_V1,
  compareVersions,
  deriveVersion,
  getInstrumentVersion,
  itemMap,
  itemRows,
  parseInstrumentVersion,
  publishVersion,
  supplementaryScaleKeys,
  type Item,
} from '../../instrument/index.js';

const newItem: Item = {
  id: 'TxV_9',
  scale: 'seici',
  cell: 'TxV',
  reverse: false,
  response: 'agreement7',
  scaleMin: 1,
  scaleMax: 7,
  text: {
    en: 'Our unit can see which strategic goals are currently blocked by a dependency on another unit.',
    de: 'Unsere Einheit kann sehen, welche strategischen Ziele gerade durch eine Abhängigkeit zu einer anderen Einheit blockiert sind.',
  },
};

describe('instrument versions', () => {
  it('keeps v1 exactly as published (ids and texts pinned in v1-items.json)', () => {
    const pinned = JSON.parse(readFileSync(new URL('./v1-items.json', import.meta.url), 'utf8'));
    expect(itemRows(INSTRUMENT_V1)).toEqual(pinned);
  });

  it('is deep-frozen once published', () => {
    const v = INSTRUMENT_V1 as any;
    expect(Object.isFrozen(v)).toBe(true);
    expect(() => {
      v.items[0].text.en = 'changed';
    }).toThrow(TypeError);
    expect(() => v.items.push(newItem)).toThrow(TypeError);
    expect(() => {
      v.responseFormats.agreement7.anchors[0].label.de = 'x';
    }).toThrow(TypeError);
  });

  it('finds published versions by id and names the unknown one', () => {
    expect(getInstrumentVersion('v1')).toBe(INSTRUMENT_V1);
    expect(() => getInstrumentVersion('v0')).toThrow('Unknown instrument version "v0"; known versions: v1.');
  });

  const v2 = deriveVersion(INSTRUMENT_V1, {
    id: 'v2',
    published: '2027-03-01',
    changes: [
      { kind: 'retire', itemId: 'SxA_5', reason: 'low item-total correlation' },
      { kind: 'revise', itemId: 'RxV_6', text: { en: 'Members of our unit personally know someone in each unit we depend on.' }, reason: 'shorter' },
      { kind: 'revise', itemId: 'TxC_8', reverse: false, newId: 'TxC_20', reason: 'test only: keying flip' },
      { kind: 'add', item: newItem, reason: 'T x V under-represented flow' },
    ],
  });

  it('derives v2 from v1 with retired, revised and added items and records what carries over', () => {
    const ids = v2.items.map((i) => i.id);
    expect(v2.basedOn).toBe('v1');
    expect(ids).not.toContain('SxA_5');
    expect(ids).not.toContain('RxV_6');
    expect(ids).toContain('RxV_9');
    expect(ids.indexOf('RxV_9')).toBe(INSTRUMENT_V1.items.findIndex((i) => i.id === 'RxV_6') - 1);
    expect(ids.indexOf('TxV_9')).toBe(ids.indexOf('TxV_8') + 1);
    const revised = v2.items.find((i) => i.id === 'RxV_9')!;
    expect(revised.revises).toBe('RxV_6');
    expect(revised.text.en).toBe('Members of our unit personally know someone in each unit we depend on.');
    expect(revised.text.de).toBe(INSTRUMENT_V1.items.find((i) => i.id === 'RxV_6')!.text.de);
    expect(v2.items.find((i) => i.id === 'TxC_20')!.reverse).toBe(false);
    expect(v2.carriedOver).toHaveLength(INSTRUMENT_V1.items.length - 3);
    expect(v2.carriedOver).not.toContain('SxA_5');
    expect(v2.retiredIds).toEqual(['SxA_5', 'RxV_6', 'TxC_8']);
    expect(Object.keys(itemMap(v2).items)).toHaveLength(72);
    expect(Object.isFrozen(v2.items[0])).toBe(true);
    expect(INSTRUMENT_V1.items.map((i) => i.id)).toContain('SxA_5');
  });

  it('compares versions item by item', () => {
    const c = compareVersions(INSTRUMENT_V1, v2);
    expect(c.retired).toEqual(['SxA_5']);
    expect(c.revised).toEqual([
      { from: 'RxV_6', to: 'RxV_9' },
      { from: 'TxC_8', to: 'TxC_20' },
    ]);
    expect(c.added).toEqual(['TxV_9']);
    expect(c.conflicting).toEqual([]);
    expect(c.unchanged).toEqual(v2.carriedOver);
  });

  it('follows revisions across intermediate versions', () => {
    const v3 = deriveVersion(v2, {
      id: 'v3',
      published: '2027-09-01',
      changes: [{ kind: 'revise', itemId: 'RxV_9', text: { de: 'Mitglieder unserer Einheit kennen in jeder Einheit, von der wir abhängen, jemanden persönlich.' }, reason: 'German shorter' }],
    });
    expect(v3.items.map((i) => i.id)).toContain('RxV_10');
    expect(compareVersions(INSTRUMENT_V1, v3, [v2]).revised).toContainEqual({ from: 'RxV_6', to: 'RxV_10' });
    expect(v3.retiredIds).toContain('RxV_6');
  });

  it('rejects changes that would break the rules', () => {
    const derive = (changes: any[], id = 'v2') => () => deriveVersion(INSTRUMENT_V1, { id, published: '2027-01-01', changes });
    expect(derive([{ kind: 'retire', itemId: 'SxA_1', reason: '' }], 'v1')).toThrow(/id other than its base/);
    expect(derive([{ kind: 'retire', itemId: 'SxA_99', reason: '' }])).toThrow('v1 has no item "SxA_99" to retire.');
    expect(derive([{ kind: 'add', item: { ...newItem, id: 'TxV_3' }, reason: '' }])).toThrow(/cannot use the id TxV_3/);
    expect(derive([{ kind: 'revise', itemId: 'SxA_1', reason: 'nothing' }])).toThrow(/changes neither its text nor its keying/);
    expect(derive([{ kind: 'add', item: { ...newItem, id: 'SxA_9' }, reason: '' }])).toThrow(/must have an id of the form <cell>_<number> matching its cell/);
    expect(derive([{ kind: 'add', item: { ...newItem, text: { en: 'Only English.', de: '' } }, reason: '' }])).toThrow('Item TxV_9 has no de text.');
    const retireMost = [1, 2, 3, 4, 5, 6].map((n) => ({ kind: 'retire', itemId: `SxC_${n}`, reason: '' }));
    expect(derive(retireMost)).toThrow('instrument version v2 has 2 items in cell SxC; each cell needs at least 3.');
    expect(derive([{ kind: 'retire', itemId: 'SxA_1', reason: '' }, { kind: 'retire', itemId: 'SxA_1', reason: '' }])).toThrow(/changed twice/);
  });

  it('never reuses a retired id', () => {
    const v2b = deriveVersion(INSTRUMENT_V1, { id: 'v2b', published: '2027-01-01', changes: [{ kind: 'retire', itemId: 'TxV_7', reason: '' }] });
    expect(() =>
      deriveVersion(v2b, { id: 'v3b', published: '2027-06-01', changes: [{ kind: 'add', item: { ...newItem, id: 'TxV_7' }, reason: '' }] }),
    ).toThrow(/cannot use the id TxV_7/);
    expect(() => publishVersion({ ...v2b, id: 'v3c', items: [...v2b.items, { ...newItem, id: 'TxV_7' }] })).toThrow('reuses the retired item id TxV_7');
  });

  it('round-trips a version through JSON and rejects malformed JSON with a sentence', () => {
    const back = parseInstrumentVersion(JSON.parse(JSON.stringify(v2)));
    expect(back).toEqual(v2);
    expect(Object.isFrozen(back.items[5].text)).toBe(true);
    expect(compareVersions(v2, back).unchanged).toHaveLength(v2.items.length);
    const broken = JSON.parse(JSON.stringify(INSTRUMENT_V1));
    broken.items[3].scaleMax = 'seven';
    expect(() => parseInstrumentVersion(broken)).toThrow(/^Instrument version JSON is invalid at items\.3\.scaleMax: /);
    const dup = JSON.parse(JSON.stringify(INSTRUMENT_V1));
    dup.items[1].id = 'SxA_1';
    expect(() => parseInstrumentVersion(dup)).toThrow('instrument version v1 has item id SxA_1 twice.');
  });

  it('keys the rated supplementary scales for scale scores', () => {
    const keys = supplementaryScaleKeys(INSTRUMENT_V1);
    expect(Object.keys(keys).sort()).toEqual(['dynamism', 'relationalCoordination', 'visibilityCoherence', 'visibilityOutcome']);
    expect(keys.relationalCoordination!.scaleMax).toBe(5);
    expect(Object.keys(keys.relationalCoordination!.items)).toHaveLength(7);
    expect(keys.dynamism!.items.DYN_6).toEqual({ reverse: true });
    expect(keys.interfaceRole).toBeUndefined();
  });
});
