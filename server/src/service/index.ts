/**
 * The analysis core's public face: pure functions over a parsed model. Parse once with
 * `analyzeDockerfile`, then pass the model to each feature; caching is the host's job.
 */
export { analyzeDockerfile } from './model/analyze';
export { describeStage } from './model/graph';
export { hover, type HoverResult } from './features/hover';
export { documentSymbols } from './features/symbols';
export { foldingRanges } from './features/folding';
export { diagnostics, DIAGNOSTIC_SOURCE } from './features/diagnostics';
export { instructionAt } from './features/locate';
export { toLocale, type Locale } from './explain';
export { RULES } from './rules/table';
export type * from './types';
export { formatLayerTable } from './features/layerTable';
export { listBreakdown, type BreakdownListing } from './features/breakdownFolder';
export { codeLenses, type LayerLens } from './features/codeLens';
export { estimateSizes } from './sizes/estimate';
export { diagnose, type Diagnosis, type RuleSetting } from './rules/check';
export { PRACTICES, type Finding, type Fix } from './rules/practices';
