import type { Role } from '../../src/contract/index.js';

export const DEMO_TENANT = '7d3f2a10-0c1e-4b8a-9f4e-3c2d1b0a9e8f';
export const DEMO_DOMAIN = 'contoso.example';

export interface DemoUser {
  id: string;
  email: string;
  displayName: string;
  office: string;
  roles: Role[];
}

const person = (n: number, displayName: string, office: string, roles: Role[] = []): DemoUser => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  email: `${displayName.toLowerCase().replace(/[^a-z]+/g, '.')}@${DEMO_DOMAIN}`,
  displayName,
  office,
  roles,
});

/** The demo firm: a dozen employees in four offices, two account managers, one IT admin. */
export const DEMO_USERS: DemoUser[] = [
  person(1, 'Avery Chen', 'Boston'),
  person(2, 'Blake Okafor', 'Boston'),
  person(3, 'Casey Lindqvist', 'Chicago'),
  person(4, 'Devon Patel', 'Chicago'),
  person(5, 'Emery Rossi', 'Denver'),
  person(6, 'Finley Novak', 'Denver'),
  person(7, 'Harper Nakamura', 'Seattle'),
  person(8, 'Jordan Alvarez', 'Seattle'),
  person(9, 'Kai Johansson', 'Boston'),
  person(10, 'Logan Mensah', 'Chicago'),
  person(11, 'Morgan Duarte', 'Denver'),
  person(12, 'Quinn Fischer', 'Seattle'),
  person(20, 'Riley Account', 'Boston', ['AccountManager']),
  person(21, 'Sam Contracts', 'Chicago', ['AccountManager']),
  person(30, 'Taylor Systems', 'Boston', ['ITAdmin']),
];

/** People in the directory who have never opened Credit Desk, so managers can raise requests for them. */
export const DIRECTORY_ONLY: DemoUser[] = [person(40, 'Uma Newhire', 'Seattle'), person(41, 'Victor Lee', 'Denver')];
