import { describe, expect, it } from 'vitest';
import { stack, stackClient } from './local-stack';
import { orderJourney, orderPeople } from './order-journey';
import { line, people, quoteJourney } from './quote-journey';

/**
 * A person's step is done at /steps/{step}; the old /tasks/{task} paths stay as deprecated aliases
 * for callers not yet moved. Both must answer alike: the same handler, the same access, the same
 * refusals, the same answer.
 */
const client = stackClient(stack);
const { api, tokenFor } = client;
const quotes = quoteJourney(client);
const orders = orderJourney(client);

/** What a client sees of an answer: its status and body. */
/** What a caller sees, but the quote's status a refusal names: the workflow moves it on between two calls. */
const seen = (answer: { status: number; body: unknown }) => ({
  status: answer.status,
  body: JSON.parse(JSON.stringify(answer.body).replace(/ \(it is [a-z-]+\)/, '')),
});

describe('a step on a quote', () => {
  it('answers alike at /steps/{step} and at its deprecated alias /tasks/{task}', async () => {
    const { opportunityId, sm } = await quotes.opportunity();
    const started = await api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: { lines: [line(20_000)], proposalSummary: 'One inline tester', nonStandardRequirements: null, validForDays: 30 },
      token: sm,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const quoteId = started.body.quoteId as string;
    await quotes.stepOpen(quoteId, 'prepare-quote');
    await quotes.stepOpen(quoteId, 'prepare-proposal');
    const admin = await tokenFor(people.salesAdmin, 'SalesAdmin');
    const ae = await tokenFor(people.applicationEngineer, 'ApplicationEngineer');
    const alias = (step: string, body: unknown, token: string) => api('POST', `/quotes/${quoteId}/tasks/${step}`, { body, token });

    // GET lists the open steps as `steps`, and the same list under the old name `tasks`.
    const before = await quotes.quote(quoteId);
    expect(before.steps.map((open: { task: string }) => open.task).sort()).toEqual(['prepare-proposal', 'prepare-quote']);
    expect(before.tasks).toEqual(before.steps);
    expect(before.steps.every((open: { task: string; step: string }) => open.step === open.task)).toBe(true);

    // The same refusals: a body the step does not take, a step that is someone else's, no such step.
    const empty = await quotes.completeQuoteStep(quoteId, 'prepare-proposal', {}, ae);
    expect(empty.status).toBe(400);
    expect(seen(await alias('prepare-proposal', {}, ae))).toEqual(seen(empty));
    const notTheirs = await quotes.completeQuoteStep(quoteId, 'prepare-quote', { paymentTerms: 'x', deliveryTerms: 'y' }, ae);
    expect(notTheirs.status).toBe(403);
    expect(seen(await alias('prepare-quote', { paymentTerms: 'x', deliveryTerms: 'y' }, ae))).toEqual(seen(notTheirs));
    const unknown = await quotes.completeQuoteStep(quoteId, 'make-tea', {}, ae);
    expect(unknown.status).toBe(404);
    expect(seen(await alias('make-tea', {}, ae))).toEqual(seen(unknown));

    // Either path does the step, with the same answer.
    const proposed = await quotes.completeQuoteStep(quoteId, 'prepare-proposal', { text: 'Fixture and training' }, ae);
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(200);
    expect(proposed.body).toMatchObject({ quoteId, task: 'prepare-proposal' });
    const prepared = await alias('prepare-quote', { paymentTerms: '30 days net', deliveryTerms: 'Ex works' }, admin);
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(200);
    expect(prepared.body).toMatchObject({ quoteId, task: 'prepare-quote' });
    expect(Object.keys(prepared.body).sort()).toEqual(Object.keys(proposed.body).sort());

    // Done once: a second answer is the same 409 at either path.
    const again = await quotes.completeQuoteStep(quoteId, 'prepare-proposal', { text: 'Again' }, ae);
    expect(again.status).toBe(409);
    expect(seen(await alias('prepare-proposal', { text: 'Again' }, ae))).toEqual(seen(again));
  });
});

describe('a step on an order', () => {
  it('answers alike at /steps/{step} and at its deprecated alias /tasks/{task}', async () => {
    const orderId = await orders.order(await orders.customer({ label: 'Steps' }));
    const admin = await orders.admin();
    const production = await tokenFor(orderPeople.production, 'Production');
    const engineering = await tokenFor(orderPeople.engineering, 'Engineering');
    const alias = (step: string, body: unknown, token: string) => api('POST', `/orders/${orderId}/tasks/${step}`, { body, token });

    const placed = await orders.getOrder(orderId);
    expect(placed.tasks).toEqual(placed.steps);

    const notTheirs = await orders.completeOrderStep(orderId, 'packing', {}, engineering);
    expect(notTheirs.status).toBe(403);
    expect(seen(await alias('packing', {}, engineering))).toEqual(seen(notTheirs));
    const tooLong = { notes: 'x'.repeat(5000) };
    const refused = await orders.completeOrderStep(orderId, 'contract-review', tooLong, admin);
    expect(refused.status).toBe(400);
    expect(seen(await alias('contract-review', tooLong, admin))).toEqual(seen(refused));

    const reviewed = await orders.completeOrderStep(orderId, 'contract-review', { notes: 'Terms as quoted' }, admin);
    expect(seen(reviewed)).toEqual({ status: 200, body: { orderId, task: 'contract-review', outcome: 'reviewed' } });
    const packed = await alias('packing', {}, production);
    expect(seen(packed)).toEqual({ status: 200, body: { orderId, task: 'packing', outcome: 'packed' } });

    const again = await orders.completeOrderStep(orderId, 'contract-review', {}, admin);
    expect(again.status).toBe(409);
    expect(seen(await alias('contract-review', {}, admin))).toEqual(seen(again));
  });
});

describe('/openapi.json', () => {
  it('lists the /steps/ routes, and the /tasks/ aliases as deprecated', async () => {
    const { status, body } = await api('GET', '/openapi.json');
    expect(status).toBe(200);
    for (const record of ['quotes', 'orders']) {
      const current = body.paths[`/${record}/{id}/steps/{step}`].post;
      const alias = body.paths[`/${record}/{id}/tasks/{task}`].post;
      expect(current.deprecated).toBeUndefined();
      expect(alias.deprecated).toBe(true);
      const stepNames = current.parameters.find((p: { name: string }) => p.name === 'step').schema.enum;
      expect(alias.parameters.find((p: { name: string }) => p.name === 'task').schema.enum).toEqual(stepNames);
      expect(alias.requestBody).toEqual(current.requestBody);
      expect(alias.description).toBe(current.description);
    }
    expect(body.paths['/quotes/{id}/steps/{step}'].post.parameters.find((p: { name: string }) => p.name === 'step').schema.enum).toContain(
      'approve-qpa',
    );
  });
});
