export { MyCreditsPage, poolEligibility } from './MyCreditsPage.js';
export { LogUsageDialog } from './LogUsageDialog.js';
