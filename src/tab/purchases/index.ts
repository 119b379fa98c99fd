import { PurchasesPage } from './PurchasesPage.js';

export { PurchasesPage };
export { BOARD_COLUMNS, byColumn, leadTime, movesFor } from './board.js';
export default PurchasesPage;
