import { randomUUID } from 'node:crypto';
import { correctiveActionEmail, pleasedToServeEmail } from '#domain/order-correspondence';
import { Gone } from '#domain/errors';
import {
  correctiveActionItem,
  equipmentCheckAnswer,
  type Order,
  type OrderTask,
} from '#domain/order';
import type { TimelineEntry, TimelineKind } from '#domain/timeline';
import { findAction } from '#adapters/action-records';
import { agendaClose, agendaPut } from '#adapters/agenda-records';
import { recordOrderChange, recordOrderStepCompleted } from '#adapters/order-records';
import { answerTask } from '#adapters/workflow-runs';
import { links, orderTeam } from '#functions/config';
import { parseOr400 } from '#http/api';
import { logger } from '#functions/observability';
import { orderTaskBodies } from './schemas';

/**
 * A person completes a step on an order (R22-R26), through the internal route or, for the
 * equipment check, its emailed link. What the step causes is written with it: the agenda item
 * closed, the emails queued, the corrective action opened.
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

export const completeOrderTask = async (
  order: Order,
  task: OrderTask,
  body: unknown,
  by: string,
  via: 'link' | 'internal',
): Promise<{ orderId: string; task: OrderTask; outcome: string }> => {
  const at = new Date().toISOString();
  const detail = { orderId: order.id, task, via };
  let outcome: string;
  switch (task) {
    case 'contract-review': {
      const input = parseOr400(orderTaskBodies[task], body, [], 'request body');
      await recordOrderChange(
        order,
        { contractReview: { status: 'done', by, at, ...(input.notes ? { notes: input.notes } : {}) } },
        { expression: 'contractReview.#s = :open', names: { '#s': 'status' }, values: { ':open': 'open' } },
        entry('contract-review-done', `Contract reviewed by ${by}${input.notes ? `: ${input.notes}` : ''} (R22)`, by, at, detail),
        { items: [agendaClose(onOrder(order), 'contract-review', by, at)] },
        'The contract was reviewed meanwhile',
      );
      outcome = 'reviewed';
      break;
    }
    case 'packing': {
      const input = parseOr400(orderTaskBodies[task], body, [], 'request body');
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
        {},
        'The order was marked packed meanwhile',
      );
      outcome = 'packed';
      break;
    }
    case 'corrective-action': {
      const input = parseOr400(orderTaskBodies[task], body, [], 'request body');
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
      const input = parseOr400(orderTaskBodies[task], body, [], 'request body');
      const { changes, summary } = equipmentCheckAnswer(order, input, by, at);
      const answered = { ...order, ...changes } as Order;
      const team = orderTeam();
      const effects = input.ok
        ? { items: [agendaClose(onOrder(order), task, by, at)], emails: [pleasedToServeEmail(answered, randomUUID())] }
        : {
            items: [agendaClose(onOrder(order), task, by, at), agendaPut(correctiveActionItem(answered, at), at)],
            emails: [correctiveActionEmail(answered, randomUUID(), [team.engineering, team.support], links())],
          };
      const logged = entry('equipment-check', summary, by, at, { ...detail, ok: input.ok });
      const open = order.tasks[task];
      if (open) {
        // The workflow waits for this answer: record it, then hand it back.
        const action = await findAction(open.actionId);
        if (!action?.taskToken || action.status !== 'open') throw new Gone('This check has already been answered');
        await recordOrderStepCompleted(order, open, changes, logged, effects);
        await answerTask(action.taskToken, { ok: input.ok });
      } else {
        // R26: asked, escalated and left overdue; the workflow has ended, the SM answers late.
        await recordOrderChange(
          order,
          changes,
          { expression: 'followUps.equipmentCheck.#s = :unanswered', names: { '#s': 'status' }, values: { ':unanswered': 'unanswered' } },
          logged,
          effects,
          'The equipment check was answered meanwhile',
        );
      }
      outcome = input.ok ? 'yes' : 'no: corrective action opened';
      break;
    }
  }
  logger.info('order step completed', { orderId: order.id, task, via });
  return { orderId: order.id, task, outcome };
};
