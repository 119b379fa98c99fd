export * from './registration-help.js';
export * from './registration-rules.js';
