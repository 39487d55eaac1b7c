export * from './job-metrics.js';
export * from './queue-depth.js';
export * from './registry.js';
