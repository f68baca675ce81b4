import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { contentValidity, InputError } from '../../analysis/index.js';
import { buildPanelQuestionnaire, CELLS, PANEL_PRIVACY_NOTE, getInstrumentVersion, itemMap, panelItemOrder, panelRatings, seiItems } from '../../instrument/index.js';

const v1 = getInstrumentVersion('v1');

describe('the expert-panel questionnaire', () => {
  it('asks relevance, essentiality and the cell of every SEI-CI item, in an order shuffled per expert', () => {
    const json = buildPanelQuestionnaire(v1, 'en', 17);
    const model = new Model(json);
    expect(model.getAllQuestions()).toHaveLength(72 * 3);
    const order = panelItemOrder(v1, 17).map((i) => i.id);
    expect([...order].sort()).toEqual(seiItems(v1).map((i) => i.id).sort());
    expect(panelItemOrder(v1, 17).map((i) => i.id)).toEqual(order);
    expect(panelItemOrder(v1, 18).map((i) => i.id)).not.toEqual(order);
    expect(order).not.toEqual(seiItems(v1).map((i) => i.id));
    // The first panel shows the first item of the expert's order, with its text and no id.
    const first = json.pages[0].elements[0];
    expect(first.title).toBe(`1. ${v1.items.find((i) => i.id === order[0])!.text.en}`);
  });

  it('never reveals an item\'s intended cell: no item id in the questionnaire, every cell offered alike', () => {
    const text = JSON.stringify(buildPanelQuestionnaire(v1, 'de', 3));
    for (const item of seiItems(v1)) expect(text).not.toContain(`"${item.id}"`);
    const model = new Model(buildPanelQuestionnaire(v1, 'en', 3));
    const cellQuestions = model.getAllQuestions().filter((q) => q.name.endsWith('_cell'));
    expect(cellQuestions).toHaveLength(72);
    for (const q of cellQuestions) expect((q as unknown as { choices: { value: string }[] }).choices.map((c) => c.value)).toEqual([...CELLS]);
  });

  it('tells experts that the minimum group size does not apply to them, once: in the page note, not again in the description', () => {
    expect(PANEL_PRIVACY_NOTE.en).toMatch(/not as an anonymous respondent.*does not apply to your ratings/);
    expect(PANEL_PRIVACY_NOTE.de).toMatch(/gilt für Ihre Bewertungen nicht/);
    for (const locale of ['en', 'de'] as const) {
      const description = buildPanelQuestionnaire(v1, locale, 1).description;
      expect(description).toMatch(/SEI/);
      expect(description).not.toMatch(/anonymous|anonym|five people|fünf Personen/);
    }
    expect(() => buildPanelQuestionnaire(v1, 'fr' as 'en', 1)).toThrow(InputError);
  });
});

describe('panel answers into content validity', () => {
  // Nine experts; SxA_3 is judged barely relevant, RxC_5 is sorted into RxA by most, the rest are fine.
  function answersOf(expert: number) {
    const order = panelItemOrder(v1, 100 + expert);
    const answers: Record<string, unknown> = {};
    order.forEach((item, k) => {
      const p = `p${String(k + 1).padStart(2, '0')}`;
      answers[`${p}_relevance`] = item.id === 'SxA_3' ? (expert < 3 ? 3 : 2) : expert === 0 ? 3 : 4;
      answers[`${p}_essential`] = item.id === 'SxA_3' ? 'useful' : 'essential';
      answers[`${p}_cell`] = item.id === 'RxC_5' && expert < 6 ? 'RxA' : item.cell;
    });
    return answers;
  }

  it('recovers each item from the expert\'s order and gives the verdicts the ratings imply', () => {
    const ratings = Array.from({ length: 9 }, (_, e) => panelRatings(v1, `E${e + 1}`, 100 + e, answersOf(e))).flat();
    expect(ratings).toHaveLength(9 * 72);
    const cv = contentValidity(ratings, itemMap(v1));
    expect(cv.experts).toBe(9);
    const byItem = Object.fromEntries(cv.items.map((i) => [i.item, i]));
    expect(byItem.SxA_3).toMatchObject({ iCvi: 3 / 9, cvr: -1, verdict: 'drop' });
    expect(byItem.RxC_5).toMatchObject({ iCvi: 1, psa: 3 / 9, csv: (3 - 6) / 9, verdict: 'revise', confusedWith: 'RxA' });
    expect(byItem.TxV_1).toMatchObject({ iCvi: 1, cvr: 1, psa: 1, verdict: 'keep' });
    expect(cv.items.filter((i) => i.verdict !== 'keep').map((i) => i.item).sort()).toEqual(['RxC_5', 'SxA_3']);
  });

  it('refuses unknown questions and values outside the choices, naming them', () => {
    expect(() => panelRatings(v1, 'E1', 1, { SxA_1: 4 })).toThrow('answers names an unknown panel question "SxA_1".');
    expect(() => panelRatings(v1, 'E1', 1, { p01_relevance: 5 })).toThrow('p01_relevance must be 1, 2, 3 or 4; got 5.');
    expect(() => panelRatings(v1, 'E1', 1, { p02_cell: 'XxY' })).toThrow(/p02_cell must be one of SxA/);
    expect(() => panelRatings(v1, 'E1', 1, { p03_essential: 'yes' })).toThrow(/p03_essential must be one of essential, useful, not-necessary/);
    const empty = panelRatings(v1, 'E1', 1, {});
    expect(empty.every((r) => r.relevance === null && r.essential === null && r.sortedCell === null)).toBe(true);
  });
});
