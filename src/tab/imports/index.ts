import { ImportsPage } from './ImportsPage.js';

export { ImportsPage };
export default ImportsPage;
