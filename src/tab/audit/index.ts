import { AuditPage } from './AuditPage.js';

export { AuditPage };
export default AuditPage;
