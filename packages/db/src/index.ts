export * from './checkpointer.js';
export * from './client.js';
export * from './entry-ids.js';
export * from './schema.js';
