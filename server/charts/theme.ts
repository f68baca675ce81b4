import type { Config } from 'vega-lite';
import { DIMENSION_NAMES, LEVER_NAMES, type Dimension, type Lever } from '../../instrument/index.js';

/** One look for every report chart: system fonts, quiet axes, no chart border. */
export const CHART_CONFIG: Config = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  padding: 8,
  view: { stroke: null },
  title: { fontSize: 14, fontWeight: 600, anchor: 'start', color: '#1f2933', subtitleColor: '#52606d', subtitleFontSize: 11, offset: 10 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 500,
    labelColor: '#3e4c59',
    titleColor: '#3e4c59',
    domainColor: '#9aa5b1',
    tickColor: '#9aa5b1',
    gridColor: '#e4e7eb',
  },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 500, orient: 'bottom', direction: 'horizontal', labelLimit: 260, columnPadding: 18 },
  header: { labelFontSize: 12, labelFontWeight: 600, titleFontSize: 12 },
};

/** Colour of the unit being reported and of the organisation it is compared with. */
export const UNIT_COLOR = '#2f6fb0';
export const ORGANISATION_COLOR = '#1f2933';
export const ALERT_COLOR = '#c0392b';
export const MUTED_COLOR = '#9aa5b1';

/** Display labels of the dimensions and levers (capitalised contract names). */
export const DIMENSION_LABELS: Readonly<Record<Dimension, string>> = {
  S: capitalise(DIMENSION_NAMES.S),
  R: capitalise(DIMENSION_NAMES.R),
  T: capitalise(DIMENSION_NAMES.T),
};
export const LEVER_LABELS: Readonly<Record<Lever, string>> = {
  A: capitalise(LEVER_NAMES.A),
  C: capitalise(LEVER_NAMES.C),
  V: capitalise(LEVER_NAMES.V),
};

function capitalise(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
