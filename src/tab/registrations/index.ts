import { RegistrationsPage } from './RegistrationsPage.js';

export { RegistrationsPage };
export { actionsFor, loadQueuePage, queueOrder } from './queue.js';
export default RegistrationsPage;
