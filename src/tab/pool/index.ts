import { PoolPage } from './PoolPage.js';

export { PoolPage };
export { isPoolLow } from './pool-low.js';
export { forecastSeries } from './series.js';
export default PoolPage;
