import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '#domain/account';
import type { DueContact } from '#domain/cadence';
import { Conflict, NotFound } from '#domain/errors';
import { findableAccount } from '#domain/search';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { db, queryAll, writeTogether } from './dynamodb';
import { emailHash } from './person-key';
import { duplicateMarksOfAccount } from './record-changes';
import { findTermPuts, listKeys } from './search-records';
import { dueIndex, indexKeys, itemKind, keys, personIndex, sortKeyPrefix } from './table-design';
import { fromItem, putNew, readRecord, timelinePut, withHistory } from './table-items';

/** Customers and distributors, each with its timeline. */

/** The account, its first timeline entry and the calls and visits it is due (R6-R8), at once. */
export const recordNewAccount = async (account: Account, entry: TimelineEntry, due: DueContact[]): Promise<void> => {
  const key = keys.account(account.id);
  await writeTogether([
    putNew({
      ...key,
      itemType: itemKind.account,
      // R2: distributors are found by size for mailshots.
      ...(account.kind === 'distributor' ? indexKeys.distributorsBySize(account) : {}),
      ...listKeys('account', account),
      ...account,
    }),
    timelinePut(key.pk, entry),
    ...due.map((contact) => putNew(dueContactItem(contact))),
    ...contactItems(account),
    // A new lead of the same company or address is shown as its possible duplicate (issue 15).
    ...duplicateMarksOfAccount(account, account.createdAt),
    ...findTermPuts(findableAccount(account)),
  ]);
};

/**
 * GDPR 15/17: an item per contact (one address once), holding only the hash of their address, so
 * the person index finds the account that lists them. The account itself can carry one index key only.
 */
const contactItems = (account: Account) =>
  [...new Set(account.contacts.map((contact) => emailHash(contact.email)))].map((hash) => {
    const key = keys.accountContact(account.id, hash);
    return putNew({ ...key, itemType: itemKind.accountContact, ...personIndex.keysFor(hash, key) });
  });

const dueContactItem = (contact: DueContact) => ({
  ...keys.dueContact(contact.accountId, contact.kind),
  itemType: itemKind.dueContact,
  ...dueIndex.keysFor(contact.accountId, contact.dueAt, contact.kind),
  ...contact,
});

/** The calls and visits an account is due, overdue or not. */
export const dueContactsOf = async (accountId: string): Promise<DueContact[]> => {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :due)',
      ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':due': sortKeyPrefix.due },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => fromItem<DueContact>(item));
};

/**
 * A call or visit logged on an account (R27), and the due contact it completes moved on to its
 * next date: together, and only if nobody moved it meanwhile.
 */
export const recordContactLogged = async (
  accountId: string,
  entry: TimelineEntry,
  moved?: { next: DueContact; previousDueAt: string },
): Promise<void> => {
  const key = keys.account(accountId);
  await writeTogether(
    [
      { ConditionCheck: { TableName: tableName(), Key: key, ConditionExpression: 'attribute_exists(pk)' } },
      timelinePut(key.pk, entry),
      ...(moved
        ? [
            {
              Put: {
                TableName: tableName(),
                Item: dueContactItem(moved.next),
                ConditionExpression: 'dueAt = :previous',
                ExpressionAttributeValues: { ':previous': moved.previousDueAt },
              },
            },
          ]
        : []),
    ],
    ([missing, , moving]) =>
      missing
        ? new NotFound(`No account ${accountId}`)
        : moving
          ? new Conflict('That call or visit was logged meanwhile; try again')
          : undefined,
  );
};

export const findAccount = (id: string) => readRecord<Account>(keys.account(id));

export const accountWithHistory = async (id: string) => {
  const key = keys.account(id);
  const found = await withHistory<Account>(key.pk, key.sk, [sortKeyPrefix.due]);
  return (
    found && {
      account: found.record,
      timeline: found.timeline,
      emails: found.emails,
      // The calls and visits it is due, read with it.
      due: found.items.map((item) => fromItem<DueContact>(item)),
    }
  );
};

/** R2: the distributors of a size, or all of them; page by page. */
export const distributors = async (size: 'large' | 'small' | 'all'): Promise<Account[]> =>
  (
    await queryAll({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: size === 'all' ? 'gsi2pk = :d' : 'gsi2pk = :d AND begins_with(gsi2sk, :size)',
      ExpressionAttributeValues: { ':d': keys.distributors(), ...(size === 'all' ? {} : { ':size': `${size}#` }) },
    })
  ).map((item) => fromItem<Account>(item));
