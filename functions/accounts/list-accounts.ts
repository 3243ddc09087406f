import { accountListQuery } from '#contract/lists';
import type { Account } from '#domain/account';
import { listRoute } from '#http/lists';

/** Customers and distributors, newest first; an SM's own and their reports' unless they name one. */
export const listAccounts = listRoute('account', {
  route: 'GET /accounts',
  query: accountListQuery,
  owner: 'ownerEmail',
  filter: (query) => [{ path: 'kind', op: '=', value: query.kind }],
  row: (account: Account) => {
    const { id, kind, name, size, ownerEmail, servedBy, orderChannel, selected, createdAt } = account;
    return { id, kind, name, size, ownerEmail, servedBy, orderChannel, selected, createdAt };
  },
});
