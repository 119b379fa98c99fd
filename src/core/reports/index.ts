export * from './chargeback.js';
export * from './csv.js';
