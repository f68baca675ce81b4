import type { Item, ScaleId, ScaleInfo } from '../item.js';
import type { Localized } from '../locale.js';
import {
  AGREEMENT_7,
  INTERFACE_ROLE,
  RC_EXTENT,
  RC_FREQUENCY,
  RC_HOW_OFTEN,
  RC_KNOWLEDGE,
  RC_PROBLEM_SOLVING,
  type ResponseFormat,
} from '../response_format.js';

function item(id: string, scale: ScaleId, format: ResponseFormat, en: string, de: string, reverse = false): Item {
  return { id, scale, cell: null, reverse, response: format.id, scaleMin: format.min, scaleMax: format.max, text: { en, de } };
}

/**
 * Environmental dynamism (moderator in H2): how fast and unpredictably the demands on the
 * unit change. Higher = more dynamic; DYN_6 describes stability and is reverse-keyed.
 */
export const DYNAMISM_ITEMS_V1: readonly Item[] = [
  item('DYN_1', 'dynamism', AGREEMENT_7,
    'The demands of our unit\'s customers or users change often.',
    'Die Anforderungen der Kundinnen, Kunden oder Nutzenden unserer Einheit ändern sich häufig.'),
  item('DYN_2', 'dynamism', AGREEMENT_7,
    'The technology our unit relies on changes quickly.',
    'Die Technologie, auf die unsere Einheit angewiesen ist, verändert sich schnell.'),
  item('DYN_3', 'dynamism', AGREEMENT_7,
    'Our unit\'s priorities are revised several times a year because of outside events.',
    'Die Prioritäten unserer Einheit werden mehrmals im Jahr wegen äußerer Ereignisse angepasst.'),
  item('DYN_4', 'dynamism', AGREEMENT_7,
    'It is hard to predict what our unit will be asked to deliver six months from now.',
    'Es ist schwer vorherzusagen, was unsere Einheit in sechs Monaten liefern soll.'),
  item('DYN_5', 'dynamism', AGREEMENT_7,
    'Competitors or regulators often force changes to the way our unit works.',
    'Wettbewerber oder Aufsichtsbehörden erzwingen häufig Änderungen an der Arbeitsweise unserer Einheit.'),
  item('DYN_6', 'dynamism', AGREEMENT_7,
    'The work our unit does has stayed much the same over the past year.',
    'Die Arbeit unserer Einheit ist im vergangenen Jahr weitgehend gleich geblieben.', true),
];

/**
 * Relational coordination (Gittell, 2002, doi:10.1287/mnsc.48.11.1408.177): one question for
 * each of its seven dimensions, frequent, timely, accurate and problem-solving
 * communication, shared goals, shared knowledge and mutual respect, asked about the units
 * the respondent's unit works with most; 1-5. Worded for this instrument.
 */
export const RC_ITEMS_V1: readonly Item[] = [
  item('RC_1', 'relationalCoordination', RC_FREQUENCY,
    'How often do people in these units communicate with your unit about your shared work?',
    'Wie häufig kommunizieren Menschen aus diesen Einheiten mit Ihrer Einheit über die gemeinsame Arbeit?'),
  item('RC_2', 'relationalCoordination', RC_HOW_OFTEN,
    'How often do they pass information to your unit in time for it to be useful?',
    'Wie oft geben sie Informationen so rechtzeitig an Ihre Einheit weiter, dass diese noch von Nutzen sind?'),
  item('RC_3', 'relationalCoordination', RC_HOW_OFTEN,
    'How often is the information they give your unit accurate?',
    'Wie oft sind die Informationen, die Ihre Einheit von ihnen erhält, zutreffend?'),
  item('RC_4', 'relationalCoordination', RC_PROBLEM_SOLVING,
    'When a problem comes up in your shared work, how do people in these units respond?',
    'Wenn bei der gemeinsamen Arbeit ein Problem auftritt: Wie reagieren die Menschen aus diesen Einheiten?'),
  item('RC_5', 'relationalCoordination', RC_EXTENT,
    'How far do people in these units share your unit\'s goals for the shared work?',
    'In welchem Maß teilen die Menschen aus diesen Einheiten die Ziele Ihrer Einheit für die gemeinsame Arbeit?'),
  item('RC_6', 'relationalCoordination', RC_KNOWLEDGE,
    'How much do people in these units know about the work your unit does?',
    'Wie viel wissen die Menschen aus diesen Einheiten über die Arbeit Ihrer Einheit?'),
  item('RC_7', 'relationalCoordination', RC_EXTENT,
    'How much do people in these units respect the work your unit does?',
    'Wie sehr respektieren die Menschen aus diesen Einheiten die Arbeit Ihrer Einheit?'),
];

/** Interface role (H6): one nominal question; codes 2-7 are interface roles. */
export const ROLE_ITEMS_V1: readonly Item[] = [
  item('ROLE', 'interfaceRole', INTERFACE_ROLE,
    'Which of these best describes your own role in your unit\'s work with other units?',
    'Welche der folgenden Beschreibungen trifft am besten auf Ihre eigene Rolle in der Zusammenarbeit Ihrer Einheit mit anderen Einheiten zu?'),
];

/** Coherence-oriented visibility (H5): the unit's views show dependencies, flow and links to shared goals. */
export const VISIBILITY_COHERENCE_ITEMS_V1: readonly Item[] = [
  item('VISC_1', 'visibilityCoherence', AGREEMENT_7,
    'Our unit regularly reviews a dependency map that covers the units we work with.',
    'Unsere Einheit nutzt regelmäßig eine Übersicht der Abhängigkeiten zu allen Einheiten, mit denen wir zusammenarbeiten.'),
  item('VISC_2', 'visibilityCoherence', AGREEMENT_7,
    'The figures we review include flow measures such as lead time, waiting time or work in progress across units.',
    'Zu den Kennzahlen, die wir uns ansehen, gehören Flussgrößen wie Durchlaufzeit, Wartezeit oder laufende Arbeit über Einheitsgrenzen hinweg.'),
  item('VISC_3', 'visibilityCoherence', AGREEMENT_7,
    'Our reports show where work is waiting at handoffs between units.',
    'Unsere Berichte zeigen, wo Arbeit an Übergaben zwischen Einheiten wartet.'),
  item('VISC_4', 'visibilityCoherence', AGREEMENT_7,
    'Our dashboards link each unit\'s work to the shared goal it serves.',
    'Unsere Dashboards verknüpfen die Arbeit jeder Einheit mit dem gemeinsamen Ziel, dem sie dient.'),
  item('VISC_5', 'visibilityCoherence', AGREEMENT_7,
    'We analyse process data, for example from ticket or workflow systems, to find where cross-unit work loops back.',
    'Wir werten Prozessdaten aus, etwa aus Ticket- oder Workflow-Systemen, um zu erkennen, wo einheitsübergreifende Arbeit in Schleifen zurückläuft.'),
];

/** Outcome-only visibility (H5): the unit's views report results per unit, after the fact. */
export const VISIBILITY_OUTCOME_ITEMS_V1: readonly Item[] = [
  item('VISO_1', 'visibilityOutcome', AGREEMENT_7,
    'The main dashboard our unit follows shows results such as revenue, output or targets met.',
    'Das wichtigste Dashboard, das unsere Einheit verfolgt, zeigt Ergebnisse wie Umsatz, Stückzahlen oder Zielerreichung.'),
  item('VISO_2', 'visibilityOutcome', AGREEMENT_7,
    'Our unit is reviewed mainly on whether it hit its own targets.',
    'Unsere Einheit wird vor allem danach beurteilt, ob sie ihre eigenen Ziele erreicht hat.'),
  item('VISO_3', 'visibilityOutcome', AGREEMENT_7,
    'The reports we receive show each unit\'s results separately.',
    'Die Berichte, die wir erhalten, weisen die Ergebnisse jeder Einheit getrennt aus.'),
  item('VISO_4', 'visibilityOutcome', AGREEMENT_7,
    'Status reports for our unit rate milestones with traffic lights (red, amber, green).',
    'Statusberichte für unsere Einheit bewerten Meilensteine mit einer Ampel (rot, gelb, grün).'),
  item('VISO_5', 'visibilityOutcome', AGREEMENT_7,
    'The figures we follow are mostly reported after a period has closed, as monthly or quarterly results.',
    'Die Zahlen, die wir verfolgen, werden überwiegend nach Abschluss eines Zeitraums berichtet, etwa als Monats- oder Quartalsergebnisse.'),
];

export const SUPPLEMENTARY_ITEMS_V1: readonly Item[] = [
  ...DYNAMISM_ITEMS_V1,
  ...RC_ITEMS_V1,
  ...VISIBILITY_COHERENCE_ITEMS_V1,
  ...VISIBILITY_OUTCOME_ITEMS_V1,
  ...ROLE_ITEMS_V1,
];

const AGREEMENT_INSTRUCTIONS: Localized = {
  en: 'How far do you agree with each statement about your unit? If a statement does not apply to your unit or you cannot judge it, choose "Not applicable / don\'t know".',
  de: 'Inwieweit stimmen Sie den folgenden Aussagen über Ihre Einheit zu? Wenn eine Aussage auf Ihre Einheit nicht passt oder Sie sie nicht beurteilen können, wählen Sie „Nicht relevant / weiß nicht“.',
};

export const SCALES_V1: readonly ScaleInfo[] = [
  {
    id: 'seici',
    name: { en: 'SEI Coherence Index', de: 'SEI-Kohärenzindex' },
    instructions: AGREEMENT_INSTRUCTIONS,
    purpose: 'The nine SEI cells (dimension x lever); unit scores, misalignment M and drift.',
  },
  {
    id: 'dynamism',
    name: { en: 'Your unit\'s environment', de: 'Das Umfeld Ihrer Einheit' },
    instructions: AGREEMENT_INSTRUCTIONS,
    purpose: 'Environmental dynamism, the moderator of the indirect effect in H2.',
  },
  {
    id: 'relationalCoordination',
    name: { en: 'Working with other units', de: 'Zusammenarbeit mit anderen Einheiten' },
    instructions: {
      en: 'Think of the other units your unit works with most closely. Please answer each question about the people in those units.',
      de: 'Denken Sie an die anderen Einheiten, mit denen Ihre Einheit am engsten zusammenarbeitet. Bitte beantworten Sie jede Frage mit Blick auf die Menschen in diesen Einheiten.',
    },
    purpose: 'Relational coordination (Gittell), seven dimensions on 1-5; its drop is the trust-erosion breakpoint.',
  },
  {
    id: 'visibilityCoherence',
    name: { en: 'How your unit sees its work', de: 'Wie Ihre Einheit ihre Arbeit sichtbar macht' },
    instructions: AGREEMENT_INSTRUCTIONS,
    purpose: 'Coherence-oriented visibility (dependency maps, flow metrics), contrasted with outcome-only dashboards in H5.',
  },
  {
    id: 'visibilityOutcome',
    name: { en: 'How your unit sees its work', de: 'Wie Ihre Einheit ihre Arbeit sichtbar macht' },
    instructions: AGREEMENT_INSTRUCTIONS,
    purpose: 'Outcome-only dashboards, the comparison condition of H5.',
  },
  {
    id: 'interfaceRole',
    name: { en: 'Your role', de: 'Ihre Rolle' },
    instructions: {
      en: 'Some roles connect units and translate goals between them. Please choose the description that fits your role best.',
      de: 'Manche Rollen verbinden Einheiten und übersetzen Ziele zwischen ihnen. Bitte wählen Sie die Beschreibung, die am besten zu Ihrer Rolle passt.',
    },
    purpose: 'Leadership density in interface roles, the moderator in H6.',
  },
];
