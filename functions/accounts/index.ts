import { randomUUID } from 'node:crypto';
import { accountWithHistory, findAccount, recordNewAccount } from '#adapters/account-records';
import { idPath } from '#contract/fields';
import { openAccount } from '#domain/account';
import { daysOverdue } from '#domain/agenda';
import { cadencesFor, firstDue } from '#domain/cadence';
import { versionOf } from '#domain/edit';
import { NotFound } from '#domain/errors';
import { cadenceRules } from '#functions/config';
import { logger } from '#functions/observability';
import { apiRoute, json, Problem } from '#http/api';
import { dispatch } from '#http/dispatch';
import { versionHeader } from '#http/versions';
import { patchAccount, reassignAccount } from './edit-account';
import { listAccounts } from './list-accounts';
import { accountBody } from './schemas';

/** A customer or distributor, with its owning SM; a customer may name the distributor serving it. */
export const createAccount = apiRoute({ route: 'POST /accounts', body: accountBody }, async ({ body, caller, actOn }) => {
  // An SM opens accounts of their own; Sales Admin, the sales director and the MD for anyone.
  await actOn(body.ownerEmail, `An account owned by ${body.ownerEmail}`);
  if (body.distributorId) {
    const distributor = await findAccount(body.distributorId);
    if (distributor?.kind !== 'distributor') {
      throw new Problem(400, 'Invalid request body', [{ path: 'distributorId', message: 'must be a distributor account' }]);
    }
  }
  const { account, entry } = openAccount(body, { accountId: randomUUID(), entryId: randomUUID() }, caller!.email, new Date().toISOString());
  // R6-R8: the calls and visits this account is due, from the configured cadences.
  await recordNewAccount(
    account,
    entry,
    cadencesFor(account, cadenceRules()).map((cadence) => firstDue(account, cadence)),
  );
  logger.info('account opened', { accountId: account.id, kind: account.kind });
  return json(201, { id: account.id }, { location: `/accounts/${account.id}` });
});

/** An account with its timeline and its calls and visits, each with when it is due and how overdue. */
export const getAccount = apiRoute({ route: 'GET /accounts/{id}', path: idPath }, async ({ path, actOn }) => {
  const found = await accountWithHistory(path.id);
  if (!found) throw new NotFound(`No account ${path.id}`);
  await actOn(found.account.ownerEmail, `Account ${path.id}`);
  const { due } = found;
  const now = new Date();
  const version = versionOf(found.account as typeof found.account & { updatedAt?: string });
  return json(
    200,
    {
      ...found.account,
      version,
      due: due.map(({ kind, assignee, dueAt, lastDoneAt, agenda }) => ({
        kind,
        assignee,
        dueAt,
        lastDoneAt,
        agenda,
        overdueByDays: daysOverdue(dueAt, now),
      })),
      timeline: found.timeline,
    },
    versionHeader(version),
  );
});

/** The accounts Lambda. */
export const handler = dispatch({
  'GET /accounts': listAccounts,
  'POST /accounts': createAccount,
  'GET /accounts/{id}': getAccount,
  'PATCH /accounts/{id}': patchAccount,
  'POST /accounts/{id}/reassignment': reassignAccount,
});
