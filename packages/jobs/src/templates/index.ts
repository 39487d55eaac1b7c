export { type ClusterOptions, DEFAULT_CLUSTER_OPTIONS } from './cluster.js';
export { groupingAccuracy } from './grouping-accuracy.js';
export { maskMessage, WILDCARD } from './mask.js';
export { type MinedTemplates, mineTemplates } from './mine.js';
export { type MinerState, type ResolveResult, type Template, TemplateMiner } from './miner.js';
export { templateIdOf } from './template-id.js';
