/** The database schema, one file per domain; drizzle-kit reads it from here. */

export * from './schema/chunks.js';
export * from './schema/entries.js';
export * from './schema/live.js';
export * from './schema/templates.js';
export * from './schema/uploads.js';
export * from './schema/watchlists.js';
