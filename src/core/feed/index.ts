export * from './alerts.js';
export * from './delivery.js';
export * from './feed-anonymous.js';
export * from './feed-event.js';
export * from './wording.js';
