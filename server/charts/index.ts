/**
 * Report charts: typed data in, a Vega-Lite specification out (pure functions), and
 * `renderSvg` to turn any of them into an SVG string on the server, without a browser.
 */
export { renderSvg } from './render.js';
export { CHART_CONFIG, DIMENSION_LABELS, LEVER_LABELS } from './theme.js';
export { requireReportable } from './privacy.js';
export { cellHeatmapSpec, heatmapTiles, type CellHeatmapData, type HeatmapTile } from './cell_heatmap.js';
export { scoreBarsSpec, scoreBars, type ScoreBarsData, type ScoreBar, type DimensionLeverScores } from './score_bars.js';
export { misalignmentTrendSpec, trendPoints, type MisalignmentTrendData, type MisalignmentWave, type TrendPoint } from './misalignment_trend.js';
export {
  SIGNAL_LABELS,
  breakpointTimelineSpec,
  timelineBars,
  type BreakpointRun,
  type BreakpointTimelineData,
  type TimelineBar,
} from './breakpoint_timeline.js';
export { screePlotSpec, screePoints, type ScreePlotData, type ScreePoint } from './scree_plot.js';
export {
  STATUS_BELOW_MINIMUM,
  STATUS_REPORTABLE,
  responseRateBars,
  responseRateSpec,
  type ResponseRateBar,
  type ResponseRateData,
} from './response_rate.js';
export { unitReportCharts, type UnitReportCharts, type UnitReportOptions, type UnitWaveScores } from './unit_report.js';
export { organisationHeatmapSpec, organisationTiles, type OrganisationHeatmapData, type OrganisationHeatmapUnit, type OrganisationTile } from './organisation_heatmap.js';
export { onChartWarning, type ChartWarningListener } from './render.js';
