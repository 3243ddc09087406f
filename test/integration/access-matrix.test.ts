import { beforeAll, describe, expect, it } from 'vitest';
import { type Role, roles } from '#domain/roles';
import { type Route, routeKey, routes } from '#functions/routes';
import { issueLocalToken } from '../../infra/local/auth';
import { qualificationBody } from '../fixtures/qualification';
import { api, eventually, stack, stackClient, tokenFor, uniqueEmail } from './local-stack';
import { orderJourney } from './order-journey';
import { line, people } from './quote-journey';

/**
 * The access matrix, generated from the access policy in functions/routes.ts: every route that
 * needs a sign-in, for every role, as the record's owner, as another SM's peer, as the owner's
 * manager, and with no group at all. A refusal is a 403 that names its rule and writes nothing
 * to the table (its stream shows no put, update or delete); what the policy allows is never a 401
 * or a 403.
 */
const owner = people.sm; // sm.uk
const peer = 'sm.dach@salesflow.example';
const manager = people.salesDirector;
const relations = { owner, peer, manager } as const;
type Relation = keyof typeof relations;

/** What the policy says, read from the route table: the test's oracle. */
const allowed = (route: Route, role: Role, relation: Relation): boolean => {
  if (route.access.public) return true;
  if (!route.access.roles.includes(role)) return false;
  // A reassignment is for the owner's managers (and the MD): not for the owner alone.
  if (route.access.managersOnly && route.access.ownRecords?.includes(role) && relation === 'owner') return false;
  // The owner and the people above them (the sales director) act on the owner's records; a peer does not.
  return !route.access.ownRecords?.includes(role) || relation !== 'peer';
};

const guarded = routes.filter((route) => !route.access.public);
const cases = guarded.flatMap((route) =>
  roles.flatMap((role) =>
    (Object.keys(relations) as Relation[]).map((relation) => ({
      key: routeKey(route),
      route,
      role,
      relation,
      allowed: allowed(route, role, relation),
    })),
  ),
);
// Refusals first, while the table is still: what the allowed cases set going must not show on the stream.
const refused = cases.filter((c) => !c.allowed);
const permitted = cases.filter((c) => c.allowed);

describe(`the access matrix: ${guarded.length} routes × ${roles.length} roles × ${Object.keys(relations).length} relations + no group`, () => {
  const ids: Record<string, string> = {};
  const client = stackClient(stack);
  const { order, customer } = orderJourney(client);

  beforeAll(async () => {
    // sm.uk's lead, opportunity, quote, account and order; a campaign of Marketing's.
    const company = `Matrix ${Math.random().toString(36).slice(2, 8)} Ltd`;
    const contact = { name: 'Mia Matrix', email: uniqueEmail('matrix'), company, country: 'GB' };
    const lead = await api('POST', '/leads', { body: { channel: 'phone', source: 'se-phone-call', contact } });
    const spare = await api('POST', '/leads', {
      body: { channel: 'phone', source: 'se-phone-call', contact: { ...contact, email: uniqueEmail('spare') } },
    });
    ids.lead = spare.body.id;
    const sm = await tokenFor(owner, 'SalesManager');
    const qualified = await api('POST', `/leads/${lead.body.id}/qualification`, { body: qualificationBody(50_000), token: sm });
    ids.opportunity = qualified.body.opportunityId;
    const quote = await api('POST', `/opportunities/${ids.opportunity}/quotes`, {
      body: { lines: [line(10_000)], proposalSummary: 'Two testers', nonStandardRequirements: null, validForDays: 30 },
      token: sm,
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(202);
    ids.quote = quote.body.quoteId;
    const buyer = await customer({ label: 'Matrix' });
    ids.account = buyer.accountId;
    ids.order = await order(buyer);
    const campaign = await api('POST', '/campaigns', {
      body: { name: `Matrix ${company}`, kind: 'trade-show', startsOn: '2026-01-01' },
      token: await tokenFor('marketing@salesflow.example', 'Marketing'),
    });
    ids.campaign = campaign.body.id;
    // The stream sees a write: the refusals' "nothing written" can fail.
    const mark = await client.streamMark();
    const task = await api('POST', '/tasks', {
      body: { subject: { kind: 'opportunity', id: ids.opportunity }, title: 'Matrix task', dueAt: '2099-01-01T09:00:00Z' },
      token: sm,
    });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    expect(await client.writesSince(mark)).not.toEqual([]);
    ids.task = task.body.id;
    // Everyone of the matrix has signed in once (the directory knows them); the workflows settle.
    for (const email of Object.values(relations)) for (const role of roles) await tokenFor(email, role);
    await eventually(async () =>
      Object.keys((await api('GET', `/quotes/${ids.quote}`, { token: sm })).body.tasks ?? {}).length ? true : undefined,
    );
    await client.streamSettled();
  }, 120_000);

  /** The lists of issue 15 name the owner they are asked for, as GET /leads does. */
  const ownerLists = ['/accounts', '/opportunities', '/quotes', '/orders'];
  const pathOf = (route: Route) =>
    route.path
      .replace(
        /^\/(leads|opportunities|quotes|accounts|orders|campaigns|tasks)\/\{id\}/,
        (_, kind: string) => `/${kind}/${ids[kind.replace(/ies$/, 'y').replace(/s$/, '')]}`,
      )
      .replace(/\{(task|step)\}/, route.group === 'quotes' ? 'sign' : 'packing')
      .replace('{email}', encodeURIComponent('nobody@customer.test'))
      // The one report Marketing may read too, so the policy's roles answer for it.
      .replace('{name}', 'campaigns')
      .replace('{file}', 'leads.csv') +
    (route.path === '/leads' ||
    route.path === '/pipeline' ||
    ownerLists.includes(route.path) ||
    route.path === '/reports/{name}' ||
    route.path === '/exports/{file}'
      ? `?owner=${encodeURIComponent(owner)}`
      : '');

  /** A body the route accepts, so that what answers is the policy, not the validation. */
  const bodyOf = (route: Route): unknown => {
    const note = { kind: 'note', summary: 'Matrix note' };
    const bodies: Record<string, unknown> = {
      'POST /leads/{id}/qualification': qualificationBody(10_000),
      'POST /leads/{id}/activities': note,
      'POST /opportunities/{id}/activities': note,
      'POST /accounts/{id}/activities': note,
      'POST /orders/{id}/activities': note,
      'POST /opportunities/{id}/quotes': {
        lines: [line(100)],
        proposalSummary: 'One more',
        nonStandardRequirements: null,
        validForDays: 30,
      },
      'POST /opportunities/{id}/contract': { quoteId: ids.quote, requirements: 'Their own terms' },
      'POST /accounts': {
        kind: 'customer',
        name: 'Matrix Account Ltd',
        ownerEmail: owner,
        contacts: [{ name: 'Ann', email: uniqueEmail('acct') }],
      },
      // Issue 15: edits without If-Match (428) and decisions that change nothing (the owner stays, a lead into itself: 409).
      'PATCH /leads/{id}': { contact: { name: 'Matrix Edit' } },
      'PATCH /opportunities/{id}': { probability: 50 },
      'PATCH /accounts/{id}': { selected: true },
      'POST /leads/{id}/reassignment': { owner },
      'POST /opportunities/{id}/reassignment': { owner },
      'POST /accounts/{id}/reassignment': { owner },
      'POST /leads/{id}/disqualify': { reason: 'Matrix' },
      'POST /leads/{id}/merge': { into: ids.lead },
      'POST /opportunities/{id}/close': { outcome: 'lost', reason: 'Matrix' },
      'POST /tasks': { subject: { kind: 'opportunity', id: ids.opportunity }, title: 'Matrix task', dueAt: '2099-01-01T09:00:00Z' },
    };
    return bodies[routeKey(route)] ?? (route.method === 'POST' ? {} : undefined);
  };

  it.each(refused)('$key as $role ($relation): 403, nothing written', async ({ route, role, relation }) => {
    const token = await tokenFor(relations[relation], role);
    const mark = await client.streamMark();
    const answer = await api(route.method, pathOf(route), { token, body: bodyOf(route) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(403);
    expect(answer.body.message).toMatch(/Only .* may do this|only its owner, their managers or the MD/);
    expect(await client.writesSince(mark)).toEqual([]);
  });

  it.each(guarded.map((route) => ({ key: routeKey(route), route })))(
    '$key with no group is a 403 and writes nothing',
    async ({ route }) => {
      const token = await issueLocalToken(stack.keyFile, { email: uniqueEmail('nogroup'), roles: [] });
      const mark = await client.streamMark();
      const answer = await api(route.method, pathOf(route), { token, body: bodyOf(route) });
      expect(answer.status).toBe(403);
      expect(answer.body.message).toMatch(/no role in salesflow/);
      expect(await client.writesSince(mark)).toEqual([]);
    },
  );

  it.each(permitted)('$key as $role ($relation): the policy lets them', async ({ route, role, relation }) => {
    const token = await tokenFor(relations[relation], role);
    const answer = await api(route.method, pathOf(route), { token, body: bodyOf(route) });
    // A step route lets anyone with a role try; the step itself names who (the domain's 403).
    if (!route.access.public && route.access.step) expect(answer.status).not.toBe(401);
    else expect([401, 403], `${answer.status} ${JSON.stringify(answer.body)}`).not.toContain(answer.status);
  });
});
