export * from './ncrontab.js';
export * from './pull-window.js';
export * from './pull-words.js';
export * from './disconnected-alert.js';
