import type { AeVisits } from './cadence';
import type { TimelineEntry } from './timeline';

/**
 * Customers and distributors (R6-R8, R20-R26). A customer may be served by W. Sales (a separate
 * channel the post-shipment follow-ups leave alone) and may order through SF or the standard way.
 */
export const accountKinds = ['customer', 'distributor'] as const;
export const distributorSizes = ['large', 'small'] as const;
export const servedByChannels = ['direct', 'w-sales'] as const;
export const orderChannels = ['standard', 'sf'] as const;

export interface Contact {
  name: string;
  email: string;
  phone?: string;
}

export interface Account {
  id: string;
  kind: (typeof accountKinds)[number];
  name: string;
  /** The owning SM. */
  ownerEmail: string;
  size?: (typeof distributorSizes)[number];
  selected: boolean;
  servedBy: (typeof servedByChannels)[number];
  orderChannel: (typeof orderChannels)[number];
  /** The distributor serving this customer, if any. */
  distributorId?: string;
  /** R8: the AE's visits to this distributor, as agreed with the SM. */
  aeVisits?: AeVisits;
  contacts: Contact[];
  createdBy: string;
  createdAt: string;
}

export type NewAccount = Omit<Account, 'id' | 'createdBy' | 'createdAt'>;

export const openAccount = (
  fields: NewAccount,
  ids: { accountId: string; entryId: string },
  by: string,
  now: string,
): { account: Account; entry: TimelineEntry } => {
  const account: Account = { ...fields, id: ids.accountId, createdBy: by, createdAt: now };
  return {
    account,
    entry: {
      id: ids.entryId,
      at: now,
      actor: by,
      kind: 'account-opened',
      channel: 'internal',
      summary: `${account.kind === 'distributor' ? `${account.size ?? ''} distributor`.trim() : 'Customer'} ${account.name} opened; owner ${account.ownerEmail}`,
      detail: { servedBy: account.servedBy, orderChannel: account.orderChannel },
    },
  };
};
