import { randomBytes, randomUUID, scrypt as scryptCallback } from 'node:crypto';
import { promisify } from 'node:util';
import type { StoredAction } from '#adapters/action-records';
import { findOrder, recordLinkAnswered, webLoginPasswordSet } from '#adapters/order-records';
import { keys } from '#adapters/table-design';
import { emailPut } from '#adapters/table-items';
import { Gone } from '#domain/errors';
import { type Order, orderStepAsks, passwordProblem } from '#domain/order';
import { deliveryProblemEmail } from '#domain/order-correspondence';
import type { LinkStep, StepView } from '#functions/actions/step-page';
import { links } from '#functions/config';
import { logger } from '#functions/observability';
import { Problem, parseOr400 } from '#http/api';
import { completeOrderStep } from './complete-step';
import { deliveryAnswerBody, setPasswordBody } from './schemas';

/**
 * The links an order's people are emailed: the distributor's "everything received in good
 * order?" (R25), the SM's "is your equipment operating OK?" (R26) and the SF customer's
 * set-password link (R24).
 */

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

/** scrypt with a random salt; the password itself is never stored, logged or emailed. */
const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
};

const orderFacts = (order: Order) => [
  `PO ${order.poNumber} for ${order.customer.name}${order.shipment ? `, shipped on ${order.shipment.shippedAt.slice(0, 10)}` : ''}.`,
];

const view = (order: Order, action: StoredAction, expiresAt: Date, ask: string, fields: StepView['fields']): StepView => ({
  ask,
  about: {
    kind: 'order',
    id: order.id,
    title: `Order ${order.poNumber}: ${order.customer.name}`,
    facts: orderFacts(order),
    // What was shipped, not what it cost: distributors' and users' links show no prices.
    lines: order.lines.map((l) => ({ quantity: l.quantity, item: `${l.sku} ${l.description}` })),
  },
  assignee: action.assignee,
  expiresAt: expiresAt.toISOString(),
  fields,
});

const deliveryCheck = (order: Order, action: StoredAction, expiresAt: Date): LinkStep => {
  if (order.followUps?.deliveryCheck.status !== 'asked') throw new Gone('This question has already been answered');
  return {
    view: view(order, action, expiresAt, 'Everything received in good order?', [
      { name: 'allReceived', label: 'Was everything received in good order?', kind: 'yes-no', required: true },
      { name: 'notes', label: 'Notes (what is missing or damaged, if anything)', kind: 'text', required: false },
    ]),
    complete: async (body, by) => {
      const answer = parseOr400(deliveryAnswerBody, body, [], 'request body');
      const at = new Date().toISOString();
      const followUps = {
        ...order.followUps!,
        deliveryCheck: { ...order.followUps!.deliveryCheck, status: 'answered' as const, answer: { ...answer, by, at } },
      };
      await recordLinkAnswered(
        order,
        action,
        { followUps },
        { expression: 'followUps.deliveryCheck.#s = :asked', names: { '#s': 'status' }, values: { ':asked': 'asked' } },
        {
          id: randomUUID(),
          at,
          actor: by,
          kind: 'delivery-check',
          channel: 'email',
          summary: answer.allReceived
            ? `${by}: everything received in good order${answer.notes ? ` (${answer.notes})` : ''}`
            : `${by}: NOT everything received in good order: ${answer.notes ?? 'no details'}`,
          detail: { orderId: order.id, allReceived: answer.allReceived },
        },
        // A problem with the delivery is the SM's to sort out, now.
        answer.allReceived ? [] : [emailPut(keys.order(order.id).pk, deliveryProblemEmail(order, randomUUID(), answer.notes, links()), at)],
      );
      logger.info('delivery check answered', { orderId: order.id, allReceived: answer.allReceived });
      const outcome = answer.allReceived ? 'everything received' : 'a problem was reported to the SM';
      return { outcome, result: { orderId: order.id, allReceived: answer.allReceived } };
    },
  };
};

const setPassword = (order: Order, action: StoredAction, expiresAt: Date): LinkStep => {
  if (order.webLogin?.status !== 'invited') throw new Gone('The password has already been set');
  return {
    view: {
      ...view(order, action, expiresAt, `Choose the password for ${order.webLogin.username}`, [
        { name: 'password', label: 'New password (at least 12 characters)', kind: 'password', required: true },
      ]),
    },
    complete: async (body) => {
      const { password } = parseOr400(setPasswordBody, body, [], 'request body');
      const problem = passwordProblem(password, order.webLogin!.username);
      if (problem) throw new Problem(400, 'Invalid request body', [{ path: 'password', message: problem }]);
      const at = new Date().toISOString();
      await recordLinkAnswered(
        order,
        action,
        { webLogin: { ...order.webLogin!, status: 'password-set', setAt: at } },
        { expression: 'webLogin.#s = :invited', names: { '#s': 'status' }, values: { ':invited': 'invited' } },
        {
          id: randomUUID(),
          at,
          actor: order.webLogin!.username,
          kind: 'order-step',
          channel: 'web',
          summary: 'The customer set their website password',
          detail: { orderId: order.id },
        },
        [webLoginPasswordSet(order.id, await hashPassword(password), at)],
      );
      logger.info('web login password set', { orderId: order.id });
      return { outcome: 'your password is set; sign in on the website', result: { orderId: order.id, webLogin: 'password-set' } };
    },
  };
};

const equipmentCheck = (order: Order, action: StoredAction, expiresAt: Date): LinkStep => {
  const open = order.tasks['equipment-check'];
  if (open?.actionId !== action.actionId) throw new Gone('This check is no longer waiting for an answer');
  return {
    view: view(order, action, expiresAt, orderStepAsks['equipment-check'], [
      { name: 'ok', label: 'Is the equipment operating OK?', kind: 'yes-no', required: true },
      { name: 'notes', label: 'Notes (what is wrong, if anything)', kind: 'text', required: false },
    ]),
    complete: async (body, by) => {
      const done = await completeOrderStep(order, 'equipment-check', body, by, 'link');
      return { outcome: done.outcome, result: done };
    },
  };
};

export const orderLinkStep = async (action: StoredAction, expiresAt: Date): Promise<LinkStep> => {
  const order = await findOrder(action.subject.id);
  if (!order) throw new Gone('This order no longer exists');
  switch (action.task) {
    case 'delivery-check':
      return deliveryCheck(order, action, expiresAt);
    case 'set-password':
      return setPassword(order, action, expiresAt);
    case 'equipment-check':
      return equipmentCheck(order, action, expiresAt);
    default:
      throw new Gone('This link is not for an order');
  }
};
