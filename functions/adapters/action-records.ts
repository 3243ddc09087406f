import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { newActionId, signActionLink } from '#domain/action-link';
import type { ApproverPosition, QuoteStep } from '#domain/quote';
import { links, tableName } from '#functions/config';
import { db, failedConditions } from './dynamodb';
import { itemKind, keys } from './table-design';
import { putNew, readRecord } from './table-items';

/**
 * The actions behind emailed links. Each holds the Step Functions task token (server-side only),
 * whose step it completes, for whom, and whether it is still open. Spent actions expire from the
 * table a month after their link does.
 */
export interface StoredAction {
  actionId: string;
  subject: { kind: 'quote' | 'order'; id: string };
  task: QuoteStep | OrderLinkStep;
  approver?: ApproverPosition;
  /** The step's key on its record (see quoteStepKey). */
  key: string;
  assignee: string;
  /** The waiting workflow task, when a workflow waits for the answer. */
  taskToken?: string;
  /**
   * `closed`: its step ended without an answer from this link (the workflow refused the answer or
   * failed), so the link answers nothing any more.
   */
  status: 'open' | 'used' | 'superseded' | 'closed';
  closedAt?: string;
  createdAt: string;
  expiresAt: string;
  ttl: number;
}

/** The links of an order: R25's delivery check, R26's equipment check, R24's password. */
export type OrderLinkStep = 'delivery-check' | 'equipment-check' | 'set-password';

const day = 24 * 60 * 60 * 1000;

/**
 * A new action and the signed link to it. Spent or not, the action leaves the table a month
 * after its link expires.
 */
export const newAction = async (
  fields: Pick<StoredAction, 'subject' | 'task' | 'key' | 'assignee' | 'approver' | 'taskToken'>,
  validDays: number,
  now: Date,
): Promise<{ action: StoredAction; url: string }> => {
  const actionId = newActionId();
  const expiresAt = new Date(now.getTime() + validDays * day);
  const action: StoredAction = {
    ...fields,
    actionId,
    status: 'open',
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    ttl: Math.floor(expiresAt.getTime() / 1000) + 30 * 24 * 60 * 60,
  };
  const url = new URL(`/actions/${signActionLink(await linkKey(), actionId, expiresAt)}`, links().appBaseUrl).toString();
  return { action, url };
};

/** A new action, written with the change that emails its link. */
export const actionPut = (action: StoredAction) => putNew({ ...keys.action(action.actionId), itemType: itemKind.action, ...action });

export const findAction = (actionId: string) => readRecord<StoredAction>(keys.action(actionId));

let cachedKey: Buffer | undefined;

/**
 * The key that signs links: made once, on first use, by whichever function gets there first (the
 * conditional put settles a race), and kept in the table, so both places sign the same way with
 * nothing to provision. Anyone who can read the table could read the key, and could read the
 * records it protects as well.
 */
export const linkKey = async (): Promise<Buffer> => {
  if (cachedKey) return cachedKey;
  const read = async () => {
    const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.linkKey(), ConsistentRead: true }));
    return Item?.secret as Uint8Array | undefined;
  };
  let secret = await read();
  if (!secret) {
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.linkKey(), itemType: 'config', secret: randomBytes(32) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!failedConditions(error)?.[0]) throw error;
    }
    secret = await read();
  }
  cachedKey = Buffer.from(secret!);
  return cachedKey;
};
