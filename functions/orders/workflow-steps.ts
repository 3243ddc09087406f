import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import '#contract/messages';
import { actionPut, newAction } from '#adapters/action-records';
import { failedConditions } from '#adapters/dynamodb';
import { findOrder, orderRecord, recordEquipmentCheckAsked, recordOrderChange } from '#adapters/order-records';
import { recordProgress } from '#adapters/person-steps';
import { keys } from '#adapters/table-design';
import { emailPut, timelinePut } from '#adapters/table-items';
import { equipmentCheckItem, type Order, orderLinkValidDays } from '#domain/order';
import { deliveryCheckEmail, equipmentCheckEmail, followUpEscalationEmail, smReminderEmail } from '#domain/order-correspondence';
import { systemEntry } from '#domain/timeline';
import { links, orderTeam } from '#functions/config';
import { logger } from '#functions/observability';

/**
 * The post-shipment workflow's Lambda (statemachines/post-shipment.asl.json): one small step per
 * call, each reading the order afresh and writing what it causes (emails, links, agenda items)
 * in one transaction. A step retried after it succeeded finds its work done and does nothing.
 */

/** Every Payload of statemachines/post-shipment.asl.json parses with this (test/infra/workflow-charts.test.ts). */
export const stepInput = z.discriminatedUnion('step', [
  z.object({ step: z.literal('skip'), orderId: z.string() }),
  z.object({ step: z.literal('two-week-check'), orderId: z.string() }),
  z.object({ step: z.literal('ask-equipment-check'), orderId: z.string(), taskToken: z.string().check(z.minLength(1)) }),
  z.object({ step: z.literal('escalate-equipment-check'), orderId: z.string() }),
  z.object({ step: z.literal('fail'), orderId: z.string(), failure: z.object({ Error: z.string(), Cause: z.optional(z.string()) }) }),
]);
export type StepInput = z.infer<typeof stepInput>;

/** R26: the SM's manager hears of an unanswered check this many times before it is left overdue. */
const maxEscalations = 2;

const entry = systemEntry;

const mustFind = async (orderId: string): Promise<Order> => {
  const order = await findOrder(orderId);
  if (!order) throw new Error(`No order ${orderId}`);
  return order;
};

/** Done already (a retry after success): the condition failed, and that is fine. */
const unlessDone = async (write: Promise<void>): Promise<'done' | 'already'> => {
  try {
    await write;
    return 'done';
  } catch (error) {
    if (failedConditions(error)?.some(Boolean) || (error as Error).name === 'Conflict') return 'already';
    throw error;
  }
};

const steps: { [S in StepInput['step']]: (input: Extract<StepInput, { step: S }>) => Promise<unknown> } = {
  /** The chart's exception: customers served by W. Sales get no follow-ups from us. */
  skip: async (input) => {
    const order = await mustFind(input.orderId);
    const at = new Date().toISOString();
    const done = await unlessDone(
      recordOrderChange(
        order,
        { postShipment: 'skipped: served by W. Sales' },
        { expression: 'attribute_not_exists(postShipment)' },
        entry('post-shipment-skipped', 'Post-shipment follow-ups skipped: served by W. Sales', { orderId: order.id }, at),
      ),
    );
    return { skipped: true, done };
  },

  /** R25: two weeks after shipment, the distributor is asked and the SM reminded, together. */
  'two-week-check': async (input) => {
    const order = await mustFind(input.orderId);
    const now = new Date();
    const at = now.toISOString();
    const pk = keys.order(order.id).pk;
    const followUps = order.followUps!;
    const viaDistributor = order.routing.followUps === 'via-distributor' && order.distributor?.contact;
    const items = [emailPut(pk, smReminderEmail(order, randomUUID(), links()), at)];
    const entries = [entry('sm-reminded', `${order.owner} reminded to contact ${order.customer.name}`, { orderId: order.id }, at)];
    if (viaDistributor) {
      const { action, url } = await newAction(
        {
          subject: { kind: 'order', id: order.id },
          task: 'delivery-check',
          key: 'delivery-check',
          assignee: order.distributor!.contact!.email,
        },
        orderLinkValidDays.deliveryCheck,
        now,
      );
      items.push(actionPut(action));
      items.push(emailPut(pk, deliveryCheckEmail(order, randomUUID(), action.assignee, url), at));
      entries.push(
        entry('delivery-check', `${order.distributor!.name} asked: everything received in good order?`, { orderId: order.id }, at),
      );
    }
    const done = await unlessDone(
      recordProgress(
        orderRecord(order),
        {
          followUps: {
            ...followUps,
            smReminder: { ...followUps.smReminder, status: 'sent' },
            deliveryCheck: { ...followUps.deliveryCheck, ...(viaDistributor ? { status: 'asked' } : {}) },
          },
        },
        entries[0]!,
        {
          condition: {
            expression: 'followUps.smReminder.#s = :scheduled',
            names: { '#s': 'status' },
            values: { ':scheduled': 'scheduled' },
          },
          extra: [...items, ...entries.slice(1).map((e) => timelinePut(pk, e))],
        },
      ),
    );
    logger.info('two-week check', { orderId: order.id, viaDistributor: Boolean(viaDistributor), done });
    return { done };
  },

  /** R26: the SM is asked, by email with a link and on the agenda; the token stays here. */
  'ask-equipment-check': async (input) => {
    const order = await mustFind(input.orderId);
    const now = new Date();
    const at = now.toISOString();
    const chase = order.escalations['equipment-check'] ?? 0;
    const { action, url } = await newAction(
      {
        subject: { kind: 'order', id: order.id },
        task: 'equipment-check',
        key: 'equipment-check',
        assignee: order.owner,
        taskToken: input.taskToken,
      },
      orderLinkValidDays.equipmentCheck,
      now,
    );
    const followUps = order.followUps!;
    const open = {
      task: 'equipment-check',
      assignee: order.owner,
      actionId: action.actionId,
      askedAt: at,
      dueBy: followUps.equipmentCheck.dueBy,
    };
    await recordEquipmentCheckAsked(
      order,
      open,
      action,
      { followUps: { ...followUps, equipmentCheck: { ...followUps.equipmentCheck, status: 'asked' } } },
      entry(
        'equipment-check',
        `${order.owner} asked to check with ${order.customer.name}: is your equipment operating OK?`,
        { orderId: order.id, chase },
        at,
      ),
      { ...equipmentCheckEmail(order, randomUUID(), url, chase) },
      equipmentCheckItem(order),
    );
    logger.info('equipment check asked', { orderId: order.id, chase });
    return { asked: order.owner };
  },

  /** R26: no answer by three months: the manager hears of it; the SM gets a new link, or it stays overdue. */
  'escalate-equipment-check': async (input) => {
    const order = await mustFind(input.orderId);
    const open = order.tasks['equipment-check'];
    if (!open) return { again: false }; // answered as the clock ran out
    const at = new Date().toISOString();
    const count = (order.escalations['equipment-check'] ?? 0) + 1;
    const again = count < maxEscalations;
    const followUps = order.followUps!;
    await recordProgress(
      orderRecord(order),
      {
        escalations: { ...order.escalations, 'equipment-check': count },
        ...(again ? {} : { followUps: { ...followUps, equipmentCheck: { ...followUps.equipmentCheck, status: 'unanswered' } } }),
      },
      entry(
        'follow-up-escalated',
        `Equipment check unanswered; ${orderTeam().salesDirector} told (${count})${again ? '' : '; it stays overdue on the agenda'}`,
        { orderId: order.id, escalation: count },
        at,
      ),
      {
        closeStep: { key: 'equipment-check', actionId: open.actionId },
        extra: [emailPut(keys.order(order.id).pk, followUpEscalationEmail(order, randomUUID(), orderTeam().salesDirector, links()), at)],
      },
    );
    logger.info('equipment check escalated', { orderId: order.id, escalation: count });
    return { again };
  },

  /** Visible failure: the order says so, and the run fails (the workflow's alarm). */
  fail: async (input) => {
    const order = await mustFind(input.orderId);
    const at = new Date().toISOString();
    logger.error('post-shipment workflow failed', { orderId: order.id, error: input.failure.Error });
    await recordProgress(
      orderRecord(order),
      { failure: { at, error: input.failure.Error } },
      entry('order-step', `Post-shipment follow-ups failed: ${input.failure.Error}`, { orderId: order.id }, at),
    );
    return { failed: true };
  },
};

export const handler = async (event: unknown): Promise<unknown> => {
  const input = stepInput.parse(event);
  return (steps[input.step] as (input: StepInput) => Promise<unknown>)(input);
};
