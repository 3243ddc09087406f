import type { Account } from './account';
import type { Activity } from './activity';

/**
 * R6-R8: how often the SM calls and visits distributors and selected customers, and the AE visits
 * distributors. The intervals are configuration (SALESFLOW_CADENCES); these are the chart's.
 */

export type Every = { days: number } | { months: number };

export const cadenceKinds = ['sm-call', 'sm-visit', 'ae-visit'] as const;
export type CadenceKind = (typeof cadenceKinds)[number];

export interface CadenceRules {
  /** R6: the SM's status-check call. */
  smCall: { largeDistributor: Every; smallDistributor: Every; selectedCustomer: Every };
  /** R7: the SM's visit, with its agenda. */
  smVisit: { largeDistributor: Every; smallDistributor: Every };
  visitAgenda: string[];
}

export const defaultCadenceRules: CadenceRules = {
  smCall: { largeDistributor: { days: 7 }, smallDistributor: { months: 1 }, selectedCustomer: { months: 3 } },
  smVisit: { largeDistributor: { months: 3 }, smallDistributor: { months: 6 } },
  visitAgenda: ['Forecast', 'Key prospects', 'Joint customer visits', 'Blue Sheet review', 'Sales and marcoms needs', 'Sales training'],
};

export interface Cadence {
  kind: CadenceKind;
  assignee: string;
  every: Every;
  /** R7: what a visit covers. */
  agenda?: string[];
}

/** R8: AE visits to a distributor, as agreed with the SM. */
export interface AeVisits {
  ae: string;
  everyMonths: number;
}

/** The cadences an account carries, from its kind, size and selection. */
export const cadencesFor = (
  account: Pick<Account, 'kind' | 'size' | 'selected' | 'ownerEmail'> & { aeVisits?: AeVisits },
  rules: CadenceRules,
): Cadence[] => {
  const sm = account.ownerEmail;
  if (account.kind === 'distributor') {
    const size = account.size === 'large' ? 'largeDistributor' : 'smallDistributor';
    return [
      { kind: 'sm-call', assignee: sm, every: rules.smCall[size] },
      { kind: 'sm-visit', assignee: sm, every: rules.smVisit[size], agenda: rules.visitAgenda },
      ...(account.aeVisits
        ? [{ kind: 'ae-visit' as const, assignee: account.aeVisits.ae, every: { months: account.aeVisits.everyMonths } }]
        : []),
    ];
  }
  return account.selected ? [{ kind: 'sm-call', assignee: sm, every: rules.smCall.selectedCustomer }] : [];
};

/**
 * The next date after `from`: days as days, months as calendar months, clamped to the month's
 * end (31 January + 1 month is 28 February, or 29 in a leap year), in UTC.
 */
export const after = (from: Date, every: Every): Date => {
  if ('days' in every) return new Date(from.getTime() + every.days * 86_400_000);
  const target = new Date(from.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + every.months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
};

/** A call or visit due on an account. */
export interface DueContact extends Cadence {
  accountId: string;
  accountName: string;
  dueAt: string;
  lastDoneAt?: string;
}

/** A new account's contacts are due at once: the SM introduces themselves; the AE plans the first visit. */
export const firstDue = (account: Pick<Account, 'id' | 'name' | 'createdAt'>, cadence: Cadence): DueContact => ({
  ...cadence,
  accountId: account.id,
  accountName: account.name,
  dueAt: account.createdAt,
});

/** Which due contact an activity completes: a call the SM's call, a visit the SM's or the AE's. */
export const completedBy = (activity: Pick<Activity, 'kind'>, by: string, due: readonly DueContact[]): DueContact | undefined => {
  const kinds: CadenceKind[] = activity.kind === 'call' ? ['sm-call'] : activity.kind === 'visit' ? ['sm-visit', 'ae-visit'] : [];
  return due.find((contact) => kinds.includes(contact.kind) && contact.assignee === by);
};

/**
 * Logged: the next one is due an interval after the day it happened, early or late. A contact
 * logged before the last one (a late entry) moves nothing.
 */
export const nextDue = (contact: DueContact, happenedAt: string): DueContact | undefined => {
  if (contact.lastDoneAt && happenedAt <= contact.lastDoneAt) return undefined;
  return { ...contact, lastDoneAt: happenedAt, dueAt: after(new Date(happenedAt), contact.every).toISOString() };
};

export const cadenceTitles: Record<CadenceKind, string> = {
  'sm-call': 'Status-check call',
  'sm-visit': 'Visit',
  'ae-visit': 'AE visit',
};
