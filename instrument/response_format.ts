import type { Localized } from './locale.js';

/**
 * How an item is answered: integer codes from `min` to `max`, each with a labelled anchor.
 * A nominal format (the interface-role question) has codes that name categories and are
 * not ordered. Every format can also be answered "not applicable / don't know", which is
 * stored as a missing value.
 */
export interface ResponseFormat {
  readonly id: string;
  readonly min: number;
  readonly max: number;
  readonly nominal: boolean;
  readonly anchors: readonly { readonly value: number; readonly label: Localized }[];
}

/** The label of the answer that is stored as missing. */
export const NOT_APPLICABLE_LABEL: Localized = {
  en: 'Not applicable / don\'t know',
  de: 'Nicht relevant / weiß nicht',
};

function format(id: string, labels: readonly (readonly [string, string])[], nominal = false): ResponseFormat {
  return {
    id,
    min: 1,
    max: labels.length,
    nominal,
    anchors: labels.map(([en, de], i) => ({ value: i + 1, label: { en, de } })),
  };
}

/** The SEI-CI's 7-point agreement scale (also used by dynamism and visibility type). */
export const AGREEMENT_7 = format('agreement7', [
  ['Strongly disagree', 'Stimme überhaupt nicht zu'],
  ['Disagree', 'Stimme nicht zu'],
  ['Somewhat disagree', 'Stimme eher nicht zu'],
  ['Neither agree nor disagree', 'Weder Zustimmung noch Ablehnung'],
  ['Somewhat agree', 'Stimme eher zu'],
  ['Agree', 'Stimme zu'],
  ['Strongly agree', 'Stimme voll und ganz zu'],
]);

/** Relational coordination, frequency of communication (1-5). */
export const RC_FREQUENCY = format('rcFrequency', [
  ['Never', 'Nie'],
  ['Rarely', 'Selten'],
  ['Occasionally', 'Gelegentlich'],
  ['Often', 'Oft'],
  ['Constantly', 'Ständig'],
]);

/** Relational coordination, how often communication is timely or accurate (1-5). */
export const RC_HOW_OFTEN = format('rcHowOften', [
  ['Never', 'Nie'],
  ['Rarely', 'Selten'],
  ['Occasionally', 'Gelegentlich'],
  ['Often', 'Oft'],
  ['Always', 'Immer'],
]);

/** Relational coordination, problem-solving versus blaming (1-5). */
export const RC_PROBLEM_SOLVING = format('rcProblemSolving', [
  ['They always look for someone to blame', 'Sie suchen immer nach Schuldigen'],
  ['They mostly look for someone to blame', 'Sie suchen meist nach Schuldigen'],
  ['Sometimes they blame, sometimes they help solve it', 'Teils suchen sie Schuldige, teils helfen sie bei der Lösung'],
  ['They mostly work with us on a solution', 'Sie arbeiten meist mit uns an einer Lösung'],
  ['They always work with us on a solution', 'Sie arbeiten immer mit uns an einer Lösung'],
]);

/** Relational coordination, extent of shared goals and of respect (1-5). */
export const RC_EXTENT = format('rcExtent', [
  ['Not at all', 'Gar nicht'],
  ['A little', 'Wenig'],
  ['Somewhat', 'Teilweise'],
  ['A lot', 'Weitgehend'],
  ['Completely', 'Vollständig'],
]);

/** Relational coordination, amount of shared knowledge (1-5). */
export const RC_KNOWLEDGE = format('rcKnowledge', [
  ['Nothing', 'Nichts'],
  ['A little', 'Wenig'],
  ['Some', 'Einiges'],
  ['A lot', 'Viel'],
  ['Everything', 'Alles'],
]);

/**
 * The interface-role question's categories. Code 1 is "no such role"; every other code is
 * a role that translates intent across units (see `isInterfaceRole`).
 */
export const INTERFACE_ROLE = format(
  'interfaceRole',
  [
    ['I do not hold a role that connects my unit with other units', 'Ich habe keine Rolle, die meine Einheit mit anderen Einheiten verbindet'],
    ['Product owner or product manager', 'Produktverantwortung (z. B. Product Owner, Produktmanagement)'],
    ['Integrator or architect working across units', 'Integration oder Architektur über Einheitsgrenzen hinweg'],
    ['Programme or project coordinator', 'Programm- oder Projektkoordination'],
    ['Liaison or key contact for another unit', 'Verbindungsperson oder feste Ansprechperson für eine andere Einheit'],
    ['Unit or team lead with cross-unit coordination duties', 'Leitung einer Einheit oder eines Teams mit einheitsübergreifenden Koordinationsaufgaben'],
    ['Another role that translates goals between units', 'Eine andere Rolle, die Ziele zwischen Einheiten übersetzt'],
  ],
  true,
);

/** True when an answer to the interface-role question names an interface role (any code but 1). */
export function isInterfaceRole(code: number): boolean {
  return Number.isInteger(code) && code > INTERFACE_ROLE.min && code <= INTERFACE_ROLE.max;
}

export const RESPONSE_FORMATS: readonly ResponseFormat[] = [
  AGREEMENT_7,
  RC_FREQUENCY,
  RC_HOW_OFTEN,
  RC_PROBLEM_SOLVING,
  RC_EXTENT,
  RC_KNOWLEDGE,
  INTERFACE_ROLE,
];
