export * from './policy.js';
export * from './rate-limit-policy.js';
