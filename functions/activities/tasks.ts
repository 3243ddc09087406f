import { randomUUID } from 'node:crypto';
import { findAccount } from '#adapters/account-records';
import { findLead, findOpportunity } from '#adapters/lead-records';
import { findOrder } from '#adapters/order-records';
import { findQuote } from '#adapters/quote-records';
import { findTask, recordNewTask, recordTaskDone } from '#adapters/record-changes';
import { taskBody } from '#contract/edits';
import { idPath } from '#contract/fields';
import { NotFound } from '#domain/errors';
import { hasAnyRole } from '#domain/roles';
import { newTask, type TaskSubject, taskDone } from '#domain/task';
import { logger } from '#functions/observability';
import { findRoute } from '#functions/routes';
import { apiRoute, json, Problem } from '#http/api';

/**
 * Issue 15: ad-hoc tasks. A person sets one on a record they may act on; it is an agenda item of
 * theirs (GET /agenda, the weekly digest) until they mark it done.
 */

const collections = { lead: 'leads', opportunity: 'opportunities', account: 'accounts', order: 'orders', quote: 'quotes' } as const;

/** The record's owner and the name people know it by. */
const subjectOf: Record<TaskSubject['kind'], (id: string) => Promise<{ owner: string; name: string } | undefined>> = {
  lead: async (id) => {
    const lead = await findLead(id);
    return lead && { owner: lead.owner, name: lead.contact.company };
  },
  opportunity: async (id) => {
    const opportunity = await findOpportunity(id);
    return opportunity && { owner: opportunity.owner, name: opportunity.company };
  },
  account: async (id) => {
    const account = await findAccount(id);
    return account && { owner: account.ownerEmail, name: account.name };
  },
  order: async (id) => {
    const order = await findOrder(id);
    return order && { owner: order.owner, name: `${order.customer.name}, PO ${order.poNumber}` };
  },
  quote: async (id) => {
    const quote = await findQuote(id);
    return quote && { owner: quote.owner, name: `${quote.customer.company}, quote ${quote.number}` };
  },
};

export const addTask = apiRoute({ route: 'POST /tasks', body: taskBody }, async ({ body, caller, actOn }) => {
  const { kind, id } = body.subject;
  // Whoever may read the record may set themselves a task on it: its read route's roles.
  const reading = findRoute(`GET /${collections[kind]}/{id}`);
  if (reading && !reading.access.public && !hasAnyRole(caller!, reading.access.roles)) {
    throw new Problem(403, `Only ${reading.access.roles.join(' or ')} may do this: set a task on ${collections[kind]}`);
  }
  const subject = await subjectOf[kind](id);
  if (!subject) throw new Problem(400, 'Invalid request body', [{ path: 'subject.id', message: `no such ${kind}` }]);
  await actOn(subject.owner, `The ${kind} ${subject.name}`);
  const { task, item, entry } = newTask(
    body,
    subject.name,
    caller!.email,
    { taskId: randomUUID(), entryId: randomUUID() },
    new Date().toISOString(),
  );
  await recordNewTask(task, item, entry);
  logger.info('task added', { taskId: task.id, subject: kind });
  return json(201, { id: task.id, dueAt: task.dueAt }, { location: `/tasks/${task.id}` });
});

/** Done by whom it is for, or by their managers or the MD; its agenda item closes with it. */
export const markTaskDone = apiRoute({ route: 'POST /tasks/{id}/done', path: idPath }, async ({ path, caller, actOn }) => {
  const task = await findTask(path.id);
  if (!task) throw new NotFound(`No task ${path.id}`);
  await actOn(task.assignee, `The task "${task.title}"`);
  const done = taskDone(task, caller!.email, true, randomUUID(), new Date().toISOString());
  await recordTaskDone(done.task, done.entry);
  return json(200, { id: task.id, status: done.task.status });
});
