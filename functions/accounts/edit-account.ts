import { dueContactsOf, findAccount } from '#adapters/account-records';
import { recordAccountChange } from '#adapters/record-changes';
import { accountPatch } from '#contract/edits';
import type { Account } from '#domain/account';
import { type EditedKind, editRoute, reassignRoute } from '#http/record-edits';

/** Issue 15: an account's name, contacts and selection changed; the account given to another SM. */

const accounts: EditedKind<Account & { updatedAt?: string }> = { kind: 'account', find: findAccount, owner: 'ownerEmail' };

export const patchAccount = editRoute(accounts, {
  route: 'PATCH /accounts/{id}',
  body: accountPatch,
  record: (change, seen) => recordAccountChange(change, seen),
});

/** The account, and the calls and visits its owner was due on it, go to another SM; both are told. */
export const reassignAccount = reassignRoute(accounts, {
  route: 'POST /accounts/{id}/reassignment',
  title: (account) => account.name,
  record: async (change, version) => {
    const { before } = change;
    // The AE's visits stay the AE's; the SM's calls and visits move with the account.
    const due = (await dueContactsOf(before.id)).filter((contact) => contact.assignee.toLowerCase() === before.ownerEmail.toLowerCase());
    await recordAccountChange(change, version, due);
    return { dueMoved: due.length };
  },
});
