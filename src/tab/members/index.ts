import { MembersPage } from './MembersPage.js';

export { MembersPage };
export { filterMembers, ownChange, reversible } from './members.js';
export default MembersPage;
