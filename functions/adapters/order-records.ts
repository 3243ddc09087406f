import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AgendaItem } from '#domain/agenda';
import type { OutgoingEmail } from '#domain/correspondence';
import { Conflict, Gone } from '#domain/errors';
import type { Order } from '#domain/order';
import { findableOrder } from '#domain/search';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { actionPut, type StoredAction } from './action-records';
import { agendaPut } from './agenda-records';
import { AlreadyRecorded, db, type TransactItems, writeTogether } from './dynamodb';
import { personKeys } from './person-key';
import {
  type Condition,
  type OpenStep,
  recordProgress,
  recordStepAsked,
  recordStepCompleted,
  recordUpdate,
  type StepRecord,
  spendAction,
} from './person-steps';
import { findTermPuts, listKeys } from './search-records';
import { indexKeys, itemKind, keys } from './table-design';
import { emailPut, fromItem, putNew, readRecord, timelinePut, withHistory } from './table-items';

/**
 * Orders in the single table: the order with its timeline, its queued emails, its Welcome
 * Letter, its agenda items, the customer's web login and the service-desk copy, all under
 * ORDER#<id>. Each change writes what it causes in the same transaction: nothing half-done.
 */

const orderPk = (id: string) => keys.order(id).pk;
export const orderRecord = (order: Pick<Order, 'id'>): StepRecord => ({ key: keys.order(order.id), timelinePk: orderPk(order.id) });

export const documentPut = (subjectPk: string, name: string, content: Uint8Array, sha256: string, at: string): TransactItems[number] =>
  putNew({ ...keys.document(subjectPk, name), itemType: itemKind.document, content, sha256, bytes: content.length, storedAt: at });

export interface OrderIntake {
  order: Order;
  entry: TimelineEntry;
  /** Other timelines the order goes on: its account's, its opportunity's. */
  alsoOnTimelinesOf: string[];
  emails: OutgoingEmail[];
  documents: { name: string; content: Uint8Array; sha256: string }[];
  agenda: AgendaItem[];
  /** R21: a copy for the external service desk, delivered from the stream. */
  serviceDesk?: Record<string, unknown>;
  /** R24: the SF customer's login, waiting for its password, and the one-time link's action. */
  webLogin?: { username: string; action: StoredAction };
}

/** R20-R24: the order and everything it sets going, at once; a PO already recorded is a 409. */
export const recordNewOrder = async (intake: OrderIntake, requestFingerprint: string): Promise<void> => {
  const { order, entry } = intake;
  const pk = orderPk(order.id);
  await writeTogether(
    [
      putNew({
        ...keys.order(order.id),
        itemType: itemKind.order,
        ...(order.opportunityId ? indexKeys.opportunityOrders(order.opportunityId, order) : {}),
        ...personKeys(order.userContact.email, keys.order(order.id)),
        ...listKeys('order', order),
        ...order,
        requestFingerprint,
      }),
      putNew({ ...keys.purchaseOrder(order.accountId, order.poNumber), itemType: itemKind.purchaseOrder, orderId: order.id, at: entry.at }),
      timelinePut(pk, entry),
      ...intake.alsoOnTimelinesOf.map((subjectPk) => timelinePut(subjectPk, entry)),
      ...intake.emails.map((email) => emailPut(pk, email, entry.at)),
      ...intake.documents.map((doc) => documentPut(pk, doc.name, doc.content, doc.sha256, entry.at)),
      ...intake.agenda.map((item) => agendaPut(item, entry.at)),
      ...(intake.serviceDesk
        ? [
            putNew({
              ...keys.serviceDeskSync(order.id),
              itemType: itemKind.serviceDeskSync,
              orderId: order.id,
              status: 'queued',
              attempts: 0,
              registration: intake.serviceDesk,
            }),
          ]
        : []),
      ...(intake.webLogin
        ? [
            putNew({ ...keys.webLogin(order.id), itemType: itemKind.webLogin, username: intake.webLogin.username, status: 'invited' }),
            actionPut(intake.webLogin.action),
          ]
        : []),
      ...findTermPuts(findableOrder(order)),
    ],
    ([orderExists, poTaken]) =>
      orderExists
        ? new AlreadyRecorded(`Order ${order.id} is recorded already`)
        : poTaken
          ? new Conflict(`PO ${order.poNumber} is already recorded for this account`)
          : undefined,
  );
};

export const findOrder = (id: string) => readRecord<Order>(keys.order(id));

export const orderWithHistory = async (id: string) => {
  const found = await withHistory<Order>(orderPk(id), keys.order(id).sk);
  return found && { order: found.record, timeline: found.timeline, emails: found.emails };
};

/** An opportunity's orders, oldest first: the summary only. */
export const ordersOf = async (opportunityId: string) => {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.ordersOf(opportunityId) },
    }),
  );
  return Items.map((item) => {
    const { id, poNumber, totalGbp, status, createdAt } = fromItem<Order>(item);
    return { id, poNumber, totalGbp, status, createdAt };
  });
};

/**
 * A change to the order when a condition on it holds, with what it causes. The condition not
 * holding means someone got there first: a 409 with `conflict`.
 */
export const recordOrderChange = (
  order: Pick<Order, 'id'>,
  changes: Record<string, unknown> | Partial<Order>,
  condition: Condition,
  entry: TimelineEntry,
  extra: { items?: TransactItems; emails?: OutgoingEmail[]; remove?: string[] } = {},
  conflict = 'The order changed meanwhile',
) =>
  recordProgress(orderRecord(order), changes, entry, {
    condition,
    ...(extra.remove ? { remove: extra.remove } : {}),
    extra: [...(extra.items ?? []), ...(extra.emails ?? []).map((email) => emailPut(orderPk(order.id), email, entry.at))],
    refusal: ([changed]) => (changed ? new Conflict(conflict) : undefined),
  });

/** R26: the SM is asked, with a link holding the waiting task's token, and an agenda item. */
export const recordEquipmentCheckAsked = (
  order: Order,
  open: OpenStep & Order['tasks'][string],
  action: StoredAction,
  changes: Partial<Order>,
  entry: TimelineEntry,
  email: OutgoingEmail,
  agenda: AgendaItem,
) =>
  recordStepAsked(orderRecord(order), open, open.task, action, changes, entry, [
    emailPut(orderPk(order.id), email, entry.at),
    agendaPut(agenda, entry.at),
  ]);

/** A person's step on the order answered: link spent, step closed, effects queued. */
export const recordOrderStepCompleted = (
  order: Order,
  open: OpenStep & { task: string },
  changes: Partial<Order>,
  entry: TimelineEntry,
  extra: { items?: TransactItems; emails?: OutgoingEmail[] },
) =>
  recordStepCompleted(orderRecord(order), open, open.task, changes, entry, [
    ...(extra.items ?? []),
    ...(extra.emails ?? []).map((email) => emailPut(orderPk(order.id), email, entry.at)),
  ]);

/** A link with no workflow behind it (R24, R25): spent together with what it records. */
export const recordLinkAnswered = (
  order: Pick<Order, 'id'>,
  action: StoredAction,
  changes: Record<string, unknown>,
  condition: Condition,
  entry: TimelineEntry,
  items: TransactItems = [],
) => {
  return writeTogether(
    [
      spendAction(action.actionId, entry.actor, entry.at),
      recordUpdate(keys.order(order.id), changes, entry.at, condition),
      timelinePut(orderPk(order.id), entry),
      ...items,
    ],
    // The link spent is a 410, as for every link; the record moved on, a 409.
    ([spent, changed, , login]) =>
      spent ? new Gone('This link was used already') : changed || login ? new Conflict('This has already been answered') : undefined,
  );
};

/** R24: the password's hash on the login; never the password. */
export const webLoginPasswordSet = (orderId: string, passwordHash: string, at: string): TransactItems[number] => ({
  Update: {
    TableName: tableName(),
    Key: keys.webLogin(orderId),
    UpdateExpression: 'SET passwordHash = :hash, #status = :set, setAt = :at',
    ConditionExpression: '#status = :invited',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':hash': passwordHash, ':set': 'password-set', ':invited': 'invited', ':at': at },
  },
});

// ---- the service desk (R21) --------------------------------------------------------------------

export interface ServiceDeskCopy {
  orderId: string;
  status: 'queued' | 'synced' | 'failed';
  attempts: number;
  registration: Record<string, unknown>;
}

export const readServiceDeskCopy = (orderId: string) => readRecord<ServiceDeskCopy>(keys.serviceDeskSync(orderId));

export const serviceDeskAttemptFailed = async (orderId: string, reason: string): Promise<number> => {
  const { Attributes } = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.serviceDeskSync(orderId),
      UpdateExpression: 'SET attempts = attempts + :one, lastError = :reason',
      ExpressionAttributeValues: { ':one': 1, ':reason': reason },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.attempts ?? 0);
};

/** Synced or given up, on the copy and the order together, with the entry. */
export const serviceDeskSettled = (orderId: string, outcome: 'synced' | 'failed', entry: TimelineEntry) =>
  writeTogether([
    {
      Update: {
        TableName: tableName(),
        Key: keys.serviceDeskSync(orderId),
        UpdateExpression: 'SET #status = :outcome, settledAt = :at',
        ConditionExpression: '#status = :queued',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':outcome': outcome, ':queued': 'queued', ':at': entry.at },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.order(orderId),
        UpdateExpression: 'SET support.serviceDesk = :outcome, updatedAt = :at',
        ExpressionAttributeValues: { ':outcome': outcome, ':at': entry.at },
      },
    },
    timelinePut(orderPk(orderId), entry),
  ]);
