import { randomUUID } from 'node:crypto';
import { openAccount } from '#domain/account';
import { NotFound } from '#domain/errors';
import { accountWithHistory, findAccount, recordNewAccount } from '#adapters/account-records';
import { idPath } from '#contract/fields';
import { apiRoute, json, Problem } from '#http/api';
import { dispatch } from '#http/dispatch';
import { logger } from '#functions/observability';
import { accountBody } from './schemas';

/** A customer or distributor, with its owning SM; a customer may name the distributor serving it. */
export const createAccount = apiRoute({ route: 'POST /accounts', body: accountBody }, async ({ body, caller }) => {
  if (body.distributorId) {
    const distributor = await findAccount(body.distributorId);
    if (distributor?.kind !== 'distributor') {
      throw new Problem(400, 'Invalid request body', [{ path: 'distributorId', message: 'must be a distributor account' }]);
    }
  }
  const { account, entry } = openAccount(body, { accountId: randomUUID(), entryId: randomUUID() }, caller!.email, new Date().toISOString());
  await recordNewAccount(account, entry);
  logger.info('account opened', { accountId: account.id, kind: account.kind });
  return json(201, { id: account.id }, { location: `/accounts/${account.id}` });
});

export const getAccount = apiRoute({ route: 'GET /accounts/{id}', path: idPath }, async ({ path }) => {
  const found = await accountWithHistory(path.id);
  if (!found) throw new NotFound(`No account ${path.id}`);
  return json(200, { ...found.account, timeline: found.timeline });
});

/** The accounts Lambda. */
export const handler = dispatch({
  'POST /accounts': createAccount,
  'GET /accounts/{id}': getAccount,
});
