export { MyCreditsPage, poolEligibility } from './MyCreditsPage.js';
