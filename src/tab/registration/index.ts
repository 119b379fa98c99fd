import { RegistrationPage } from './RegistrationPage.js';

export { RegistrationPage } from './RegistrationPage.js';
export { RegistrationSteps, stepStatuses } from './RegistrationSteps.js';
export default RegistrationPage;
