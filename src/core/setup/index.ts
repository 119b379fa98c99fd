export * from './features.js';
export * from './readiness.js';
