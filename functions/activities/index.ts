import { randomUUID } from 'node:crypto';
import { dueContactsOf, findAccount, recordContactLogged } from '#adapters/account-records';
import { agendaClose, openItemsUnder } from '#adapters/agenda-records';
import { findLead, findOpportunity } from '#adapters/lead-records';
import { findOrder } from '#adapters/order-records';
import { appendToTimeline, type SubjectKind } from '#adapters/table-items';
import { idPath } from '#contract/fields';
import { activityEntry } from '#domain/activity';
import { completedBy, nextDue } from '#domain/cadence';
import { NotFound } from '#domain/errors';
import type { RouteKey } from '#functions/routes';
import { apiRoute, json } from '#http/api';
import { dispatch } from '#http/dispatch';
import { activityBody } from './schemas';
import { addTask, markTaskDone } from './tasks';

/** Whose record an activity goes on: the access policy lets its owner (and their managers) log on it. */
type Logged = SubjectKind | 'accounts';
const ownerOf: Record<Logged, (id: string) => Promise<string | undefined>> = {
  leads: async (id) => (await findLead(id))?.owner,
  opportunities: async (id) => (await findOpportunity(id))?.owner,
  orders: async (id) => (await findOrder(id))?.owner,
  accounts: async (id) => (await findAccount(id))?.ownerEmail,
};

const mayLogOn = async (subject: Logged, id: string, actOn: (owner: string, what: string) => Promise<void>) => {
  const owner = await ownerOf[subject](id);
  if (!owner) throw new NotFound(`No ${subject.replace(/s$/, '')} ${id}`);
  await actOn(owner, `${subject.charAt(0).toUpperCase()}${subject.slice(1).replace(/s$/, '')} ${id}`);
};

/** R6-R8, R11, R12, R18, R27: whoever did it logs it on the record it concerns. */
const logActivity = (subject: SubjectKind) =>
  apiRoute(
    { route: `POST /${subject}/{id}/activities` as RouteKey, path: idPath, body: activityBody },
    async ({ path, body, caller, actOn }) => {
      await mayLogOn(subject, path.id, actOn);
      const entry = activityEntry(body, caller!.email, randomUUID(), new Date().toISOString());
      await appendToTimeline(subject, path.id, entry);
      return json(201, { id: entry.id, at: entry.at });
    },
  );

/**
 * R6-R8: on an account, a call or visit by the person it is due from completes it, and the next
 * one is due an interval after the day it happened.
 */
export const logAccountActivity = apiRoute(
  { route: 'POST /accounts/{id}/activities', path: idPath, body: activityBody },
  async ({ path, body, caller, actOn }) => {
    await mayLogOn('accounts', path.id, actOn);
    const entry = activityEntry(body, caller!.email, randomUUID(), new Date().toISOString());
    const due = await dueContactsOf(path.id);
    const completed = completedBy(body, caller!.email, due);
    const next = completed && nextDue(completed, entry.at);
    await recordContactLogged(path.id, entry, next && { next, previousDueAt: completed.dueAt });
    return json(201, {
      id: entry.id,
      at: entry.at,
      ...(next ? { completed: next.kind, nextDueAt: next.dueAt } : {}),
    });
  },
);

/** R18: any contact with the customer logged on the opportunity answers its stale quotes' follow-ups. */
export const logOpportunityActivity = apiRoute(
  { route: 'POST /opportunities/{id}/activities', path: idPath, body: activityBody },
  async ({ path, body, caller, actOn }) => {
    await mayLogOn('opportunities', path.id, actOn);
    const entry = activityEntry(body, caller!.email, randomUUID(), new Date().toISOString());
    const opportunity = { kind: 'opportunity' as const, id: path.id };
    const followUps = await openItemsUnder(opportunity, 'quote-follow-up');
    await appendToTimeline(
      'opportunities',
      path.id,
      entry,
      followUps.map((item) => agendaClose(opportunity, item.kind, caller!.email, entry.at)),
    );
    return json(201, { id: entry.id, at: entry.at, ...(followUps.length ? { followedUp: followUps.length } : {}) });
  },
);

/** The activities Lambda. */
export const handler = dispatch({
  'POST /leads/{id}/activities': logActivity('leads'),
  'POST /opportunities/{id}/activities': logOpportunityActivity,
  'POST /orders/{id}/activities': logActivity('orders'),
  'POST /accounts/{id}/activities': logAccountActivity,
  'POST /tasks': addTask,
  'POST /tasks/{id}/done': markTaskDone,
});
