export { simulatePanel } from './simulate_panel.js';
export type { SimulatedPanel, PanelTruth } from './simulate_panel.js';
export { resolvePanelSpec, panelItemIds } from './panel_spec.js';
export type { PanelSpec, ResolvedPanelSpec, NonInvariance, CellCorrelation } from './panel_spec.js';
export { simulateResearchPanel, researchPanelCsv, RESEARCH_PANEL_COLUMNS } from './research_panel.js';
export type { ResearchPanelSpec, ResearchPanelTruth, SimulatedResearchPanel } from './research_panel.js';
