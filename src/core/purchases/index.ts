export * from './purchase-rules.js';
export * from './purchase-timing.js';
export * from './purchase-types.js';
