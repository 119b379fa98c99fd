export * from './errors.js';
export * from './imports.js';
export * from './openapi.js';
export * from './primitives.js';
export * from './routes.js';
export * from './schemas.js';
export * from './usage-sources.js';
export * from './setup.js';
