import { randomUUID } from 'node:crypto';
import { findAccount } from '#adapters/account-records';
import { newAction } from '#adapters/action-records';
import { agendaClose } from '#adapters/agenda-records';
import { findOpportunity } from '#adapters/lead-records';
import { findOrder, type OrderIntake, orderWithHistory, recordNewOrder, recordOrderChange } from '#adapters/order-records';
import { findQuote } from '#adapters/quote-records';
import { recordOpportunityChange } from '#adapters/record-changes';
import { keys } from '#adapters/table-design';
import { readDocument, recordedRequest } from '#adapters/table-items';
import { executionArnFor, startWorkflow } from '#adapters/workflow-runs';
import { idPath } from '#contract/fields';
import { wonByOrder } from '#domain/decisions';
import { sha256 } from '#domain/document-hash';
import { nextVersion } from '#domain/edit';
import { NotFound } from '#domain/errors';
import { isOpportunityOf, type Opportunity } from '#domain/opportunity';
import {
  checkOrderStep,
  contractReviewItem,
  followUpSchedule,
  followUpStates,
  type Order,
  type OrderStep,
  orderLinkValidDays,
  packingItem,
  placeOrder,
  postShipmentInput,
  readsPrices,
  shipDateProblem,
  welcomeLetterFilename,
  withoutPrices,
} from '#domain/order';
import { orderAcknowledgementEmail, packingListEmail, sfLoginEmail, welcomeLetterEmail } from '#domain/order-correspondence';
import { buildFromQuote, quoteNotOrderable, reasonMissing } from '#domain/order-from-quote';
import type { Caller } from '#domain/roles';
import { systemActor } from '#domain/timeline';
import { stepBody } from '#functions/actions/link-body';
import { links, orderTeam, postShipmentArn, serviceDeskUrl } from '#functions/config';
import { logger } from '#functions/observability';
import { apiRoute, json, Problem, pdf } from '#http/api';
import { dispatch } from '#http/dispatch';
import { keyedRequest, recordOnce } from '#http/idempotency';
import { completeOrderStep } from './complete-step';
import { listOrders } from './list-orders';
import { orderBody, orderStepPath, shipmentBody } from './schemas';

/**
 * Issue 15: an order received wins its opportunity, if still open. After the order, not in its
 * transaction: an opportunity changed meanwhile must not cost the customer their order; it is logged.
 */
const markWon = async (opportunity: Opportunity, order: Order, by: string, at: string) => {
  const won = wonByOrder(opportunity, order, by, randomUUID(), at);
  if (!won) return;
  try {
    await recordOpportunityChange({
      before: opportunity,
      after: { ...won.opportunity, updatedAt: nextVersion(opportunity.updatedAt, at) },
      entries: [won.entry],
    });
  } catch (error) {
    logger.warn('opportunity not marked won', { opportunityId: opportunity.id, orderId: order.id, errorName: (error as Error).name });
  }
};

const fieldProblem = (path: string, message: string) => new Problem(400, 'Invalid request body', [{ path, message }]);

/** R20-R24: Sales Admin enters the PO; the order sets the rest going at once. */
export const createOrder = apiRoute({ route: 'POST /orders', body: orderBody }, async ({ body, caller, event }) => {
  // The key names the order, for the person entering it.
  const request = keyedRequest(event, [caller!.email], body);
  // The reads are independent: one round trip, not three.
  const [customer, named, quote] = await Promise.all([
    findAccount(body.accountId),
    body.opportunityId ? findOpportunity(body.opportunityId) : undefined,
    body.quoteId ? findQuote(body.quoteId) : undefined,
  ]);
  if (!customer) throw fieldProblem('accountId', 'no such account');
  if (customer.kind !== 'customer') throw fieldProblem('accountId', 'must be a customer: distributors do not place orders here');
  if (body.opportunityId && !named) throw fieldProblem('opportunityId', 'no such opportunity');
  if (body.quoteId && !quote) throw fieldProblem('quoteId', 'no such quote');
  if (quote && body.opportunityId && quote.opportunityId !== body.opportunityId) {
    throw fieldProblem('quoteId', `is quote ${quote.number} of another opportunity (${quote.customer.company})`);
  }
  // An order from a quote belongs to the quote's opportunity, named or not.
  const opportunityId = body.opportunityId ?? quote?.opportunityId;
  const opportunity = named ?? (quote ? await findOpportunity(quote.opportunityId) : undefined);
  if (opportunity && !isOpportunityOf(opportunity, customer)) {
    throw fieldProblem(body.opportunityId ? 'opportunityId' : 'quoteId', `is ${opportunity.company}'s, not ${customer.name}'s`);
  }
  // R20: the lines come from the signed quote; where the order departs from them, it says why.
  const notOrderable = quote && quoteNotOrderable(quote);
  if (notOrderable) throw new Problem(409, notOrderable, [{ path: 'quoteId', message: notOrderable }]);
  const built = quote ? buildFromQuote(quote, body) : undefined;
  if (built && reasonMissing(built.fromQuote)) {
    throw fieldProblem(
      'differenceReason',
      `say why the order differs from quote ${built.fromQuote.number}: ${built.fromQuote.differences.join('; ')}`,
    );
  }
  const lines = built?.lines ?? body.lines!;
  const distributor = customer.distributorId ? await findAccount(customer.distributorId) : undefined;
  const now = new Date();
  const at = now.toISOString();
  const team = orderTeam();
  const placed = placeOrder(
    customer,
    distributor,
    { ...body, opportunityId, lines },
    { orderId: request.id, registrationId: `SR-${randomUUID().slice(0, 8).toUpperCase()}`, entryId: randomUUID() },
    caller!.email,
    at,
    built?.fromQuote,
  );
  let order: Order = { ...placed.order, ...(serviceDeskUrl() ? { support: { ...placed.order.support, serviceDesk: 'queued' } } : {}) };
  const intake: OrderIntake = {
    order,
    entry: placed.entry,
    alsoOnTimelinesOf: [keys.account(customer.id).pk, ...(opportunityId ? [keys.opportunity(opportunityId).pk] : [])],
    emails: [],
    documents: [],
    // R22: the contract review goes on the agenda of the Sales Admin who entered the order.
    // R23/R24: and the packing on Production's, then the shipment (functions/orders/complete-step).
    agenda: [contractReviewItem(order, caller!.email), packingItem(order, team.production)],
    ...(serviceDeskUrl() ? { serviceDesk: serviceDeskCopy(order) } : {}),
  };
  if (order.routing.channel === 'standard') {
    // R23: the Welcome Letter, signed by the SM, to Production as a soft copy.
    // The PDF writer loads only here, not for every route of this function.
    const { renderWelcomeLetter } = await import('#adapters/pdf-documents');
    const letter = await renderWelcomeLetter(order, { support: team.support, website: team.website }, at);
    order = { ...order, welcomeLetter: { filename: welcomeLetterFilename(order), sha256: sha256(letter), status: 'with-production' } };
    intake.documents.push({ name: 'welcome-letter', content: letter, sha256: order.welcomeLetter!.sha256 });
    intake.emails.push(welcomeLetterEmail(order, randomUUID(), team.production, links()));
  } else {
    // R24: SF Customer Support passes on a one-time set-password link; no password is ever sent.
    const { action, url } = await newAction(
      { subject: { kind: 'order', id: order.id }, task: 'set-password', key: 'set-password', assignee: order.userContact.email },
      orderLinkValidDays.setPassword,
      now,
    );
    intake.webLogin = { username: order.webLogin!.username, action };
    intake.emails.push(sfLoginEmail(order, randomUUID(), team.sfCustomerSupport, url, orderLinkValidDays.setPassword));
    intake.emails.push(packingListEmail(order, randomUUID(), team.production, links()));
  }
  // R22: the customer's acknowledgement.
  intake.emails.unshift(orderAcknowledgementEmail(order, randomUUID()));
  intake.order = order;
  const recorded = await recordOnce(
    request,
    async () => {
      await recordNewOrder(intake, request.fingerprint);
      logger.info('order received', { orderId: order.id, channel: order.routing.channel, followUps: order.routing.followUps });
      if (opportunity) await markWon(opportunity, order, caller!.email, at);
      return order;
    },
    async () => {
      const first = await recordedRequest<Order>(keys.order(request.id));
      return first && { fingerprint: first.fingerprint, answer: first.record };
    },
  );
  return json(201, { id: recorded.id }, { location: `/orders/${recorded.id}` });
});

/** R21: what the service desk gets: the registration, the user, the system; no prices. */
const serviceDeskCopy = (order: Order) => ({
  registrationId: order.support.registrationId,
  orderId: order.id,
  customer: order.customer.name,
  userContact: order.userContact,
  system: order.system ?? {},
  products: order.lines.map((line) => ({ sku: line.sku, description: line.description, quantity: line.quantity })),
  registeredAt: order.support.registeredAt,
});

/** An order with its support registration, letters, follow-ups (done, due or overdue) and timeline. */
export const getOrder = apiRoute({ route: 'GET /orders/{id}', path: idPath }, async ({ path, actOn, caller }) => {
  const found = await orderWithHistory(path.id);
  if (!found) throw new NotFound(`No order ${path.id}`);
  const { order } = found;
  await actOn(order.owner, `Order ${path.id}`);
  // The step that waits for whom; the links themselves are only ever in the emails.
  // Each names its step as `step` (and as `task`, its old name).
  const steps = Object.values(order.tasks).map(({ actionId: _actionId, ...open }) => ({ ...open, step: open.task }));
  const view = {
    ...order,
    steps,
    // The same list under its old name, for readers written before `steps`.
    tasks: steps,
    followUpStates: followUpStates(order.followUps, new Date()),
    timeline: found.timeline,
    emails: found.emails,
  };
  return json(200, readsPrices(caller!.roles) ? view : withoutPrices(view));
});

/** R23: the Welcome Letter itself, for Production to print from the order page. */
export const getWelcomeLetter = apiRoute({ route: 'GET /orders/{id}/welcome-letter', path: idPath }, async ({ path, actOn }) => {
  const order = await findOrder(path.id);
  if (!order) throw new NotFound(`No order ${path.id}`);
  await actOn(order.owner, `Order ${path.id}`);
  const letter = order.welcomeLetter ? await readDocument(keys.order(order.id).pk, 'welcome-letter') : undefined;
  if (!letter) throw new NotFound(`Order ${path.id} has no Welcome Letter: SF orders get a website login instead`);
  return pdf(order.welcomeLetter!.filename, letter);
});

/** Runs are named after their order: one post-shipment run per order, ever. */
const runName = (orderId: string) => `shipment-${orderId}`;

/** The shipment: the ship date sets every follow-up's date; the post-shipment workflow runs them. */
export const recordShipment = apiRoute(
  { route: 'POST /orders/{id}/shipment', path: idPath, body: shipmentBody },
  async ({ path, body, caller }) => {
    const order = await findOrder(path.id);
    if (!order) throw new NotFound(`No order ${path.id}`);
    const now = new Date();
    const shippedAt = new Date(body.shippedAt);
    const problem = shipDateProblem(shippedAt, now);
    if (problem) throw fieldProblem('shippedAt', problem);
    const followUps = followUpSchedule(shippedAt.toISOString(), order.routing);
    const executionArn = executionArnFor(postShipmentArn(), runName(order.id));
    const shipment = {
      shippedAt: shippedAt.toISOString(),
      ...(body.carrier ? { carrier: body.carrier } : {}),
      ...(body.tracking ? { tracking: body.tracking } : {}),
      recordedBy: caller!.email,
      executionArn,
    };
    const at = now.toISOString();
    await recordOrderChange(
      order,
      { shipment, followUps, status: 'shipped' },
      // Once per order; again only if the last attempt's workflow could not start.
      { expression: 'attribute_exists(pk) AND (attribute_not_exists(shipment) OR attribute_exists(followUpsNotStarted))' },
      {
        id: randomUUID(),
        at,
        actor: caller!.email,
        kind: 'shipped',
        channel: 'internal',
        summary: `Shipped on ${shipment.shippedAt.slice(0, 10)}${body.carrier ? ` by ${body.carrier}` : ''}${body.tracking ? ` (${body.tracking})` : ''}`,
        detail: { orderId: order.id },
      },
      { remove: ['followUpsNotStarted'], items: [agendaClose({ kind: 'order', id: order.id }, 'shipment', caller!.email, at)] },
      `Order ${order.id} has already shipped`,
    );
    try {
      await startWorkflow(postShipmentArn(), runName(order.id), postShipmentInput(order, followUps));
    } catch (error) {
      // Started already, by an earlier attempt that could not say so: the run is there.
      if ((error as Error).name !== 'ExecutionAlreadyExists') {
        // The shipment stands, and says its follow-ups did not start: the same request retries.
        await recordOrderChange(
          order,
          { followUpsNotStarted: { at: new Date().toISOString(), error: (error as Error).name } },
          { expression: 'attribute_exists(pk)' },
          {
            id: randomUUID(),
            at: new Date().toISOString(),
            actor: systemActor,
            kind: 'order-step',
            summary: 'The post-shipment workflow could not be started; record the shipment again to retry',
          },
        );
        logger.error('post-shipment workflow not started', { orderId: order.id, error: (error as Error).name });
        throw new Problem(503, 'The shipment is recorded, but its follow-ups could not start; send the same request again', undefined, {
          'retry-after': '5',
        });
      }
    }
    logger.info('order shipped', { orderId: order.id, followUps: order.routing.followUps });
    return json(202, { orderId: order.id, executionArn }, { location: `/orders/${order.id}` });
  },
);

/** The internal way to complete a step on an order, for the person or role it belongs to. */
const answerStep = async (orderId: string, step: OrderStep, body: Record<string, unknown>, caller: Caller) => {
  const order = await findOrder(orderId);
  if (!order) throw new NotFound(`No order ${orderId}`);
  checkOrderStep(order, step, caller);
  return json(200, await completeOrderStep(order, step, body, caller.email, 'internal'));
};

export const completeStep = apiRoute(
  { route: 'POST /orders/{id}/steps/{step}', path: orderStepPath, body: stepBody },
  ({ path, body, caller }) => answerStep(path.id, path.step, body, caller!),
);

/** The orders Lambda. */
export const handler = dispatch({
  'GET /orders': listOrders,
  'POST /orders': createOrder,
  'GET /orders/{id}': getOrder,
  'GET /orders/{id}/welcome-letter': getWelcomeLetter,
  'POST /orders/{id}/shipment': recordShipment,
  'POST /orders/{id}/steps/{step}': completeStep,
});
