import type { Account } from '#domain/account';
import type { TimelineEntry } from '#domain/timeline';
import { writeTogether } from './dynamodb';
import { putNew, readRecord, timelinePut, withHistory } from './sales-records';
import { itemKind, keys } from './table-design';

/** Customers and distributors, each with its timeline. */

export const recordNewAccount = async (account: Account, entry: TimelineEntry): Promise<void> => {
  const key = keys.account(account.id);
  await writeTogether([putNew({ ...key, itemType: itemKind.account, ...account }), timelinePut(key.pk, entry)]);
};

export const findAccount = (id: string) => readRecord<Account>(keys.account(id));

export const accountWithHistory = async (id: string) => {
  const key = keys.account(id);
  const found = await withHistory<Account>(key.pk, key.sk);
  return found && { account: found.record, timeline: found.timeline, emails: found.emails };
};
