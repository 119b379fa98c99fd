export * from './forecast-input.js';
export * from './projection.js';
