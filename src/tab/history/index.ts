import { HistoryPage } from './HistoryPage.js';

export { HistoryPage } from './HistoryPage.js';
export { perspective, toRow, matches, csvRow, CSV_HEADERS, KIND_FILTERS } from './rows.js';
export default HistoryPage;
