import { SetupPage } from './SetupPage.js';

export { SetupPage };
export default SetupPage;
