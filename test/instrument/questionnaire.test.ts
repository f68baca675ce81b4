import { describe, expect, it } from 'vitest';
import { Model, type PageModel, type QuestionRadiogroupModel } from 'survey-core';
import {
  CELLS,
  INSTRUMENT_V1,
  NOT_APPLICABLE_LABEL,
  NOT_APPLICABLE_VALUE,
  buildQuestionnaire,
  validateAnswer,
} from '../../instrument/index.js';

function load(json: unknown): Model {
  const model = new Model(json);
  expect(model.jsonErrors ?? []).toEqual([]);
  return model;
}

describe('SurveyJS questionnaire', () => {
  for (const locale of ['en', 'de'] as const) {
    it(`loads into survey-core with every item, choice and range (${locale})`, () => {
      const model = load(buildQuestionnaire(INSTRUMENT_V1, locale));
      const questions = model.getAllQuestions() as QuestionRadiogroupModel[];
      expect(questions.map((q) => q.name).sort()).toEqual(INSTRUMENT_V1.items.map((i) => i.id).sort());
      for (const item of INSTRUMENT_V1.items) {
        const q = model.getQuestionByName(item.id) as QuestionRadiogroupModel;
        expect(q.getType()).toBe('radiogroup');
        expect(q.title).toBe(item.text[locale]);
        const format = INSTRUMENT_V1.responseFormats[item.response];
        const values = q.choices.map((c) => c.value);
        expect(values).toEqual(Array.from({ length: item.scaleMax - item.scaleMin + 1 }, (_, k) => item.scaleMin + k));
        expect(q.choices.map((c) => c.text)).toEqual(format.anchors.map((a) => a.label[locale]));
        expect(q.showNoneItem).toBe(true);
        expect(q.noneText).toBe(NOT_APPLICABLE_LABEL[locale]);
        const visible = q.visibleChoices.map((c) => c.value);
        expect(visible).toEqual([...values, NOT_APPLICABLE_VALUE]);
        for (const v of visible) expect(validateAnswer(INSTRUMENT_V1, item.id, v).ok).toBe(true);
        expect(validateAnswer(INSTRUMENT_V1, item.id, NOT_APPLICABLE_VALUE)).toEqual({ ok: true, value: null });
      }
    });
  }

  it('puts the SEI-CI items of each dimension on one page in random order, supplementary scales after', () => {
    const json = buildQuestionnaire(INSTRUMENT_V1, 'en');
    const model = load(json);
    expect(model.pages.map((p) => p.name)).toEqual([
      'sei-structural',
      'sei-relational',
      'sei-translational',
      'dynamism',
      'relational-coordination',
      'visibility',
      'interface-role',
    ]);
    for (const [k, d] of ['S', 'R', 'T'].entries()) {
      const page = model.pages[k];
      expect(page.questionOrder).toBe('random');
      const names = page.questions.map((q) => q.name);
      expect(names).toHaveLength(24);
      expect(new Set(names.map((n) => n.slice(0, 3)))).toEqual(new Set(CELLS.filter((c) => c[0] === d)));
    }
    expect(model.getPageByName('visibility').questions.map((q) => q.name).every((n) => /^VIS[CO]_/.test(n))).toBe(true);
    expect(model.getPageByName('relational-coordination').questionOrder).toBe('initial');
  });

  it('lets survey-core shuffle each SEI page anew for every respondent as they reach it', () => {
    const json = buildQuestionnaire(INSTRUMENT_V1, 'en');
    const respondents = Array.from({ length: 4 }, () => {
      const model = load(json);
      const pages: string[][] = [];
      for (let k = 0; k < 3; k++) {
        const page: PageModel = model.currentPage;
        page.setWasShown(true);
        pages.push(page.questions.map((q) => q.name));
        model.nextPage();
      }
      return pages;
    });
    for (let k = 0; k < 3; k++) {
      const orders = respondents.map((r) => r[k]);
      expect(new Set(orders.map((o) => o.join())).size, `page ${k + 1}`).toBeGreaterThan(1);
      for (const o of orders) expect([...o].sort()).toEqual([...orders[0]].sort());
    }
  });

  it('shows a progress bar and the minimum group size', () => {
    const model = load(buildQuestionnaire(INSTRUMENT_V1, 'en', { minGroupSize: 7 }));
    expect(model.showProgressBar).toBe(true);
    expect(model.progressBarType).toBe('pages');
    expect(model.description).toMatch(/at least 7 people/);
    expect(model.completedHtml).toMatch(/at least 6 colleagues/);
  });

  it('is complete in German, with no English left on the page', () => {
    const json = buildQuestionnaire(INSTRUMENT_V1, 'de');
    const model = load(json);
    expect(model.pageNextText).toBe('Weiter');
    expect(model.completeText).toBe('Antworten absenden');
    for (const page of model.pages) {
      expect(page.title.length).toBeGreaterThan(5);
      expect(page.description).not.toMatch(/\b(the|and|your|please)\b/i);
    }
    for (const q of model.getAllQuestions()) expect(q.title).not.toMatch(/\b(the|our|your|and)\b/i);
  });

  it('switches between locales when built with several', () => {
    const model = load(buildQuestionnaire(INSTRUMENT_V1, ['de', 'en']));
    expect(model.locale).toBe('de');
    const q = model.getQuestionByName('TxC_8') as QuestionRadiogroupModel;
    const item = INSTRUMENT_V1.items.find((i) => i.id === 'TxC_8')!;
    expect(q.title).toBe(item.text.de);
    expect(q.choices[0].text).toBe('Stimme überhaupt nicht zu');
    model.locale = 'en';
    expect(q.title).toBe(item.text.en);
    expect(q.choices[0].text).toBe('Strongly disagree');
    expect(q.noneText).toBe(NOT_APPLICABLE_LABEL.en);
  });

  it('fixes the order reproducibly with a seed and still holds every item', () => {
    const a = buildQuestionnaire(INSTRUMENT_V1, 'en', { seed: 42 });
    const b = buildQuestionnaire(INSTRUMENT_V1, 'en', { seed: 42 });
    const c = buildQuestionnaire(INSTRUMENT_V1, 'en', { seed: 43 });
    expect(a).toEqual(b);
    const order = (j: typeof a) => j.pages[0].elements.map((e) => e.name);
    expect(order(a)).not.toEqual(order(c));
    expect([...order(a)].sort()).toEqual([...order(c)].sort());
    expect(a.pages.every((p) => p.questionOrder === 'initial')).toBe(true);
    expect(load(a).getAllQuestions()).toHaveLength(INSTRUMENT_V1.items.length);
  });

  it('stores a "not applicable" answer as none, which the server keeps as missing', () => {
    const model = load(buildQuestionnaire(INSTRUMENT_V1, 'en'));
    model.setValue('SxA_1', NOT_APPLICABLE_VALUE);
    model.setValue('SxA_2', 6);
    expect(model.data).toEqual({ SxA_1: 'none', SxA_2: 6 });
    expect(validateAnswer(INSTRUMENT_V1, 'SxA_1', model.data.SxA_1)).toEqual({ ok: true, value: null });
  });

  it('can require an answer (a value or not applicable) before moving on', () => {
    const model = load(buildQuestionnaire(INSTRUMENT_V1, 'en', { required: true }));
    expect(model.getAllQuestions().every((q) => q.isRequired)).toBe(true);
    const page = model.currentPage;
    expect(page.validate(false, false)).toBe(false);
    for (const q of page.questions) q.value = NOT_APPLICABLE_VALUE;
    expect(page.validate(false, false)).toBe(true);
  });

  it('rejects a locale the version lacks', () => {
    expect(() => buildQuestionnaire(INSTRUMENT_V1, 'fr' as never)).toThrow(/no locale "fr"/);
  });
});
