import { PoolPage } from './PoolPage.js';

export { PoolPage };
export { isPoolLow } from './PoolPage.js';
export { forecastSeries } from './series.js';
export default PoolPage;
