import { fromItem } from '#adapters/sales-records';
import { accountListQuery } from '#contract/lists';
import type { Account } from '#domain/account';
import { apiRoute, json } from '#http/api';
import { attributeFilter, listPage } from '#http/lists';
import { readRule } from '#http/read-rule';

/** Customers and distributors, newest first; an SM's own and their reports' unless they name one. */
export const listAccounts = apiRoute({ route: 'GET /accounts', query: accountListQuery }, async ({ query, caller, actOn, actsOnAny }) => {
  if (query.owner) await actOn(query.owner, `The accounts of ${query.owner}`);
  const mayRead = readRule(caller!);
  const page = await listPage('account', query, {
    filter: attributeFilter([
      { path: 'kind', op: '=', value: query.kind },
      { path: 'ownerEmail', op: '=', value: query.owner },
    ]),
    keep: actsOnAny || query.owner ? undefined : (item) => mayRead('GET /accounts/{id}', String(item.ownerEmail)),
  });
  return json(200, {
    accounts: page.items.map((item) => {
      const { id, kind, name, size, ownerEmail, servedBy, orderChannel, selected, createdAt } = fromItem<Account>(item);
      return { id, kind, name, size, ownerEmail, servedBy, orderChannel, selected, createdAt };
    }),
    nextCursor: page.nextCursor,
  });
});
