import { FeedPage } from './FeedPage.js';

export { FeedPage };
export { FeedRow } from './FeedRow.js';
export { FEED_FILTERS, KIND_INFO, applyFilters } from './feed-kinds.js';
export type { FeedEntry } from './feed-kinds.js';
export default FeedPage;
