export * from './hold-events.js';
export * from './hold-rules.js';
export * from './hold-types.js';
export * from './own-credits-first.js';
