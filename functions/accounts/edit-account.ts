import { randomUUID } from 'node:crypto';
import { dueContactsOf, findAccount } from '#adapters/account-records';
import { recordAccountChange } from '#adapters/record-changes';
import { accountPatch, reassignmentBody } from '#contract/edits';
import { idPath } from '#contract/fields';
import type { Account } from '#domain/account';
import { reassign } from '#domain/decisions';
import { changesOf, checkVersion, editEntry, nextVersion, patched, versionOf } from '#domain/edit';
import { NotFound } from '#domain/errors';
import { links } from '#functions/config';
import { logger } from '#functions/observability';
import { apiRoute, json } from '#http/api';
import { salesManagerOr400 } from '#http/new-owner';
import { versionHeader, versionSeen } from '#http/versions';

/** Issue 15: an account's name, contacts and selection changed; the account given to another SM. */

type Versioned = Account & { updatedAt?: string };

const accountOr404 = async (id: string) => {
  const account = await findAccount(id);
  if (!account) throw new NotFound(`No account ${id}`);
  return account as Versioned;
};

const answer = (account: Versioned) => json(200, { id: account.id, version: versionOf(account) }, versionHeader(versionOf(account)));

export const patchAccount = apiRoute(
  { route: 'PATCH /accounts/{id}', path: idPath, body: accountPatch },
  async ({ path, body, caller, actOn, event }) => {
    const account = await accountOr404(path.id);
    await actOn(account.ownerEmail, `Account ${path.id}`);
    const seen = versionSeen(event);
    checkVersion(account, seen, `Account ${path.id}`);
    const changes = changesOf(account, body);
    if (!changes.length) return answer(account);
    const at = new Date().toISOString();
    const after: Versioned = { ...patched(account, body), updatedAt: nextVersion(versionOf(account), at) };
    await recordAccountChange({ before: account, after, entries: [editEntry(changes, caller!.email, at, randomUUID())] }, seen);
    logger.info('account edited', { accountId: account.id, fields: changes.map((c) => c.field) });
    return answer(after);
  },
);

/** The account, and the calls and visits its owner was due on it, go to another SM; both are told. */
export const reassignAccount = apiRoute(
  { route: 'POST /accounts/{id}/reassignment', path: idPath, body: reassignmentBody },
  async ({ path, body, caller, actOn }) => {
    const account = await accountOr404(path.id);
    await actOn(account.ownerEmail, `Account ${path.id}`);
    const owner = await salesManagerOr400(body.owner);
    const at = new Date().toISOString();
    const { entry, emails } = reassign(
      { kind: 'account', id: account.id, name: account.name, owner: account.ownerEmail },
      owner,
      caller!.email,
      body.reason,
      { entryId: randomUUID(), emailIds: [randomUUID(), randomUUID()] },
      at,
      links(),
    );
    // The AE's visits stay the AE's; the SM's calls and visits move with the account.
    const due = (await dueContactsOf(account.id)).filter((contact) => contact.assignee.toLowerCase() === account.ownerEmail.toLowerCase());
    const after: Versioned = { ...account, ownerEmail: owner, updatedAt: nextVersion(versionOf(account), at) };
    await recordAccountChange({ before: account, after, entries: [entry], emails }, versionOf(account), due);
    logger.info('account reassigned', { accountId: account.id, dueMoved: due.length });
    return answer(after);
  },
);
