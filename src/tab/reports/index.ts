import { ReportsPage } from './ReportsPage.js';

export { ReportsPage };
export { chargebackCsv } from './report-csv.js';
export default ReportsPage;
