import { randomUUID } from 'node:crypto';
import { findAction } from '#adapters/action-records';
import { agendaClose, agendaPut } from '#adapters/agenda-records';
import { orderRecord, recordOrderChange, recordOrderStepCompleted } from '#adapters/order-records';
import { recordOnceTaken, takeBackStepCompleted } from '#adapters/person-steps';
import { keys } from '#adapters/table-design';
import { emailPut } from '#adapters/table-items';
import { answerTask, TaskRefused } from '#adapters/workflow-runs';
import { Gone } from '#domain/errors';
import { correctiveActionItem, equipmentCheckAnswer, type Order, type OrderStep, shipmentItem } from '#domain/order';
import { correctiveActionEmail, pleasedToServeEmail } from '#domain/order-correspondence';
import { systemActor, type TimelineEntry, type TimelineKind } from '#domain/timeline';
import { links, orderTeam } from '#functions/config';
import { logger } from '#functions/observability';
import { parseOr400 } from '#http/api';
import { orderStepBodies } from './schemas';

/**
 * A person completes a step on an order (R22-R26), through the internal route or, for the
 * equipment check, its emailed link. What the step causes is written with it: the agenda item
 * closed, the emails queued, the corrective action opened; for an equipment check the workflow
 * waits for, once the workflow has taken the answer (below).
 */

const entry = (kind: TimelineKind, summary: string, by: string, at: string, detail: Record<string, unknown>): TimelineEntry => ({
  id: randomUUID(),
  at,
  actor: by,
  kind,
  channel: 'internal',
  summary,
  detail,
});

const onOrder = (order: Pick<Order, 'id'>) => ({ kind: 'order' as const, id: order.id });

export const completeOrderStep = async (
  order: Order,
  step: OrderStep,
  body: unknown,
  by: string,
  via: 'link' | 'internal',
): Promise<{ orderId: string; task: OrderStep; outcome: string }> => {
  const at = new Date().toISOString();
  // Stored and logged as `task`, as before: the timeline's detail, log queries and the answer read it.
  const detail = { orderId: order.id, task: step, via };
  let outcome: string;
  switch (step) {
    case 'contract-review': {
      const input = parseOr400(orderStepBodies[step], body, [], 'request body');
      await recordOrderChange(
        order,
        { contractReview: { status: 'done', by, at, ...(input.notes ? { notes: input.notes } : {}) } },
        { expression: 'contractReview.#s = :open', names: { '#s': 'status' }, values: { ':open': 'open' } },
        entry('contract-review-done', `Contract reviewed by ${by}${input.notes ? `: ${input.notes}` : ''}`, by, at, detail),
        { items: [agendaClose(onOrder(order), 'contract-review', by, at)] },
        'The contract was reviewed meanwhile',
      );
      outcome = 'reviewed';
      break;
    }
    case 'packing': {
      const input = parseOr400(orderStepBodies[step], body, [], 'request body');
      await recordOrderChange(
        order,
        {
          packing: { ...order.packing, status: 'packed', by, at },
          ...(order.welcomeLetter ? { welcomeLetter: { ...order.welcomeLetter, status: 'printed-and-packed', by, at } } : {}),
        },
        { expression: 'packing.#s = :toPack', names: { '#s': 'status' }, values: { ':toPack': 'to-pack' } },
        entry(
          'packed',
          `${order.welcomeLetter ? 'Welcome Letter printed and packed' : 'System information packed'} by ${by}${input.notes ? `: ${input.notes}` : ''}`,
          by,
          at,
          detail,
        ),
        // Off Production's list to pack, onto its list to ship (unless it shipped unpacked).
        {
          items: [
            agendaClose(onOrder(order), 'packing', by, at),
            ...(order.shipment ? [] : [agendaPut(shipmentItem(order, orderTeam().production, at), at)]),
          ],
        },
        'The order was marked packed meanwhile',
      );
      outcome = 'packed';
      break;
    }
    case 'corrective-action': {
      const input = parseOr400(orderStepBodies[step], body, [], 'request body');
      await recordOrderChange(
        order,
        { correctiveAction: { ...order.correctiveAction!, status: 'closed', closedAt: at, closedBy: by, resolution: input.resolution } },
        { expression: 'correctiveAction.#s = :open', names: { '#s': 'status' }, values: { ':open': 'open' } },
        entry('corrective-action', `Corrective action closed by ${by}: ${input.resolution}`, by, at, detail),
        { items: [agendaClose(onOrder(order), 'corrective-action', by, at)] },
        'The corrective action was closed meanwhile',
      );
      outcome = 'closed';
      break;
    }
    case 'equipment-check': {
      const input = parseOr400(orderStepBodies[step], body, [], 'request body');
      const { changes, summary } = equipmentCheckAnswer(order, input, by, at);
      const answered = { ...order, ...changes } as Order;
      const team = orderTeam();
      const closeCheck = agendaClose(onOrder(order), step, by, at);
      // What the answer causes for others: the customer's email, or the corrective action's.
      const caused = input.ok
        ? { items: [], emails: [pleasedToServeEmail(answered, randomUUID())] }
        : {
            items: [agendaPut(correctiveActionItem(answered, at), at)],
            emails: [correctiveActionEmail(answered, randomUUID(), [team.engineering, team.support], links())],
          };
      const logged = entry('equipment-check', summary, by, at, { ...detail, ok: input.ok });
      const open = order.tasks[step];
      if (open) {
        // The workflow waits for this answer, which is kept only if the workflow takes it: recorded
        // first under the step's conditions (a second answer is a 409 or 410), as a quote's step is
        // (completeQuoteStep says why), and taken back if Step Functions refuses it. What it causes
        // for others waits until the workflow has taken it: a queued email goes out at once, and
        // an email sent cannot be taken back.
        const action = await findAction(open.actionId);
        if (!action?.taskToken || action.status !== 'open') throw new Gone('This check is no longer waiting for an answer');
        await recordOrderStepCompleted(order, open, changes, logged, { items: [closeCheck] });
        try {
          await answerTask(action.taskToken, { ok: input.ok });
        } catch (error) {
          if (error instanceof TaskRefused) {
            const closing = entry(
              'equipment-check',
              `Equipment check closed: the workflow no longer waited for it, so ${by}'s answer was not recorded`,
              systemActor,
              new Date().toISOString(),
              { orderId: order.id, task: step, refusal: error.refusal },
            );
            await takeBackStepCompleted(
              orderRecord(order),
              { prior: order as unknown as Record<string, unknown>, changes, entry: logged, actionId: open.actionId },
              closing,
            ).catch((failure: unknown) => {
              logger.error('a refused answer could not be taken back', { orderId: order.id, task: step, error: (failure as Error).name });
              throw failure;
            });
            logger.warn('equipment check answer refused by the workflow', { orderId: order.id, refusal: error.refusal });
          }
          throw error;
        }
        // The workflow has moved on and will not ask again: tried until it lands.
        await recordOnceTaken([...caused.items, ...caused.emails.map((email) => emailPut(keys.order(order.id).pk, email, at))]).catch(
          (failure: unknown) => {
            logger.error('what an equipment check causes could not be recorded', { orderId: order.id, error: (failure as Error).name });
            throw failure;
          },
        );
      } else {
        // R26: asked, escalated and left overdue; the workflow has ended, the SM answers late.
        await recordOrderChange(
          order,
          changes,
          { expression: 'followUps.equipmentCheck.#s = :unanswered', names: { '#s': 'status' }, values: { ':unanswered': 'unanswered' } },
          logged,
          { items: [closeCheck, ...caused.items], emails: caused.emails },
          'The equipment check was answered meanwhile',
        );
      }
      outcome = input.ok ? 'yes' : 'no: corrective action opened';
      break;
    }
  }
  logger.info('order step completed', { orderId: order.id, task: step, via });
  return { orderId: order.id, task: step, outcome };
};
