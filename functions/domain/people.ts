import { NotAllowed } from './errors';
import type { Caller, Role } from './roles';

/**
 * The people directory: who a signed-in person is, keyed on the identity provider's `sub`, which
 * they cannot change. Their email, the owner named on records, comes from here and never from the
 * token's email claim, so changing one's own email in the sign-in service changes nobody's rights.
 */
export interface Person {
  sub: string;
  email: string;
  name: string;
  roles: Role[];
  /** Who they report to (the sales director for an SM, the MD for the sales director). */
  manager?: string;
  /** The countries they own leads in (R4), when they are an SM. */
  territory?: string[];
}

/** Managers are followed this far up, so a loop in the directory cannot hang a request. */
export const maxManagerDepth = 6;

/**
 * Who may act on a record that `owner` owns: the owner, anyone above them in the directory (the
 * sales director for an SM, the MD for all), and whoever holds the ManagingDirector role.
 * `named` are people a step names (an approver on a quote): they may read what they decide on.
 */
export const actsFor = (caller: Caller, owner: string, ownerManagers: readonly string[], named: readonly string[] = []): boolean =>
  caller.email === owner.toLowerCase() ||
  ownerManagers.includes(caller.email) ||
  named.includes(caller.email) ||
  caller.roles.includes('ManagingDirector');

/** The refusal, naming the rule: a 403 that says why. */
export const notTheirs = (caller: Caller, what: string, owner: string) =>
  new NotAllowed(`${what} belongs to ${owner}: only its owner, their managers or the MD may do this (${caller.email} is none of them)`);

/**
 * A directory seeded from the process settings (locally): the SMs of the territories and the
 * catch-all owner report to the sales director, the sales director and everyone else to the MD.
 */
export const seededDirectory = (
  settings: {
    territories: Record<string, string>;
    fallbackOwner: string;
    salesAdminEmail: string;
    engineeringEmail: string;
    applicationEngineerEmail: string;
    productionEmail: string;
    approvers: { salesDirector: string; finance: string; managingDirector: string };
    marketingEmail: string;
    dataProtectionEmail: string;
  },
  subOf: (email: string) => string,
): Person[] => {
  const { salesDirector, finance, managingDirector: md } = settings.approvers;
  const territoryOf = (sm: string) =>
    Object.entries(settings.territories)
      .filter(([, owner]) => owner === sm)
      .map(([country]) => country);
  const sms = [...new Set([...Object.values(settings.territories), settings.fallbackOwner])].filter((sm) => sm !== salesDirector);
  const people: Omit<Person, 'sub'>[] = [
    ...sms.map((sm) => ({
      email: sm,
      name: nameOf(sm),
      roles: ['SalesManager'] as Role[],
      manager: salesDirector,
      territory: territoryOf(sm),
    })),
    { email: salesDirector, name: 'Sales Director', roles: ['SalesManager'], manager: md },
    { email: md, name: 'Managing Director', roles: ['ManagingDirector'] },
    { email: finance, name: 'Finance', roles: ['SalesManager'], manager: md },
    { email: settings.salesAdminEmail, name: 'Sales Admin', roles: ['SalesAdmin'], manager: md },
    { email: settings.engineeringEmail, name: 'Engineering', roles: ['Engineering'], manager: md },
    { email: settings.applicationEngineerEmail, name: 'Application Engineering', roles: ['ApplicationEngineer'], manager: salesDirector },
    { email: settings.productionEmail, name: 'Production', roles: ['Production'], manager: md },
    { email: settings.marketingEmail, name: 'Marketing', roles: ['Marketing'], manager: md },
    { email: settings.dataProtectionEmail, name: 'Data Protection', roles: ['DataProtection'], manager: md },
  ];
  return people.map((person) => ({ ...person, email: person.email.toLowerCase(), sub: subOf(person.email.toLowerCase()) }));
};

/** "sm.uk@salesflow.example" reads as "Sm Uk". */
const nameOf = (email: string) =>
  email
    .split('@')[0]!
    .split(/[._-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
