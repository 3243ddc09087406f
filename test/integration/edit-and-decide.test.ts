import { beforeAll, describe, expect, it } from 'vitest';
import { qualificationBody } from '../fixtures/qualification';
import { api, eventually, itemCount, sentEmails, stack, stackClient, tokenFor, uniqueEmail } from './local-stack';
import { orderJourney } from './order-journey';

/**
 * Issue 15, "Edit and decide", over HTTP: edits with If-Match, reassignment by the sales director,
 * disqualification, merging duplicates, closing opportunities, tasks. Every refusal changes nothing.
 */
const smUk = 'sm.uk@salesflow.example';
const smDach = 'sm.dach@salesflow.example';
const director = 'sales.director@salesflow.example';
const client = stackClient(stack);

let sm: string;
let peer: string;
let boss: string;
let md: string;

beforeAll(async () => {
  sm = await tokenFor(smUk, 'SalesManager');
  peer = await tokenFor(smDach, 'SalesManager');
  boss = await tokenFor(director, 'SalesManager');
  md = await tokenFor('md@salesflow.example', 'ManagingDirector');
});

const tag = () => Math.random().toString(36).slice(2, 8);

const newLead = async (contact: Record<string, unknown>) => {
  const answer = await api('POST', '/leads', { body: { channel: 'phone', source: 'se-phone-call', contact } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id as string;
};

const readLead = async (id: string, token = sm) => (await api('GET', `/leads/${id}`, { token })).body;

/** The lead once its two emails went and were filed on its timeline: nothing more will be written for it. */
const quiet = (id: string) =>
  eventually(async () => {
    const lead = await readLead(id);
    return lead.emails.length === 2 && lead.emails.every((e: { status: string }) => e.status === 'sent') && lead.timeline.length >= 3
      ? lead
      : undefined;
  });

/** A refusal: its status, and the table as it was. */
const refused = async (status: number, request: () => Promise<{ status: number; body: any }>) => {
  await client.settledItemCount();
  const before = await itemCount();
  const answer = await request();
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(await itemCount()).toBe(before);
  return answer.body;
};

describe('PATCH /leads/{id}', () => {
  it('changes the contact with If-Match; the timeline says who changed what from what; the person index follows the address', async () => {
    const [was, now] = [uniqueEmail('edit.was'), uniqueEmail('edit.now')];
    const id = await newLead({ name: 'Eda Edit', email: was, company: `Edit ${tag()} Ltd`, country: 'GB' });
    const lead = await quiet(id);
    expect(lead.version).toBe(lead.updatedAt);

    const missing = await refused(428, () => api('PATCH', `/leads/${id}`, { token: sm, body: { contact: { email: now } } }));
    expect(missing.errors).toEqual([{ path: 'If-Match', message: expect.any(String) }]);
    const bad = await refused(400, () =>
      api('PATCH', `/leads/${id}`, {
        token: sm,
        body: { contact: { email: 'not an address', phone: 'x' } },
        headers: { 'if-match': lead.version },
      }),
    );
    expect(bad.errors.map((e: { path: string }) => e.path).sort()).toEqual(['contact.email', 'contact.phone']);
    await refused(400, () => api('PATCH', `/leads/${id}`, { token: sm, body: {}, headers: { 'if-match': lead.version } }));
    await refused(403, () =>
      api('PATCH', `/leads/${id}`, { token: peer, body: { contact: { email: now } }, headers: { 'if-match': lead.version } }),
    );

    const changed = await api('PATCH', `/leads/${id}`, {
      token: sm,
      body: { contact: { email: now, phone: '+44 161 496 0000' } },
      headers: { 'if-match': `"${lead.version}"` },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.headers.get('etag')).toBe(`"${changed.body.version}"`);
    // The second editor read the same version: refused, naming why.
    const stale = await refused(409, () =>
      api('PATCH', `/leads/${id}`, { token: sm, body: { contact: { name: 'Other' } }, headers: { 'if-match': lead.version } }),
    );
    expect(stale.message).toMatch(/changed by someone else/);

    const after = await readLead(id);
    expect(after.contact).toMatchObject({ email: now, phone: '+44 161 496 0000', name: 'Eda Edit' });
    const edit = after.timeline.find((entry: { kind: string }) => entry.kind === 'edited');
    expect(edit).toMatchObject({
      actor: smUk,
      summary: `Changed contact email from ${was} to ${now}; contact phone from (none) to +44 161 496 0000`,
    });

    const dataOf = async (email: string) => (await api('GET', `/people/${encodeURIComponent(email)}/data`, { token: md })).body;
    expect(JSON.stringify(await dataOf(now))).toContain(id);
    expect(JSON.stringify((await dataOf(was)).leads ?? [])).not.toContain(id);
  });
});

describe('reassignment', () => {
  it('the sales director gives a lead to another SM; both are emailed; the owner alone may not', async () => {
    const id = await newLead({ name: 'Rea Assign', email: uniqueEmail('reassign'), company: `Reassign ${tag()} GmbH`, country: 'GB' });
    await quiet(id);
    const refusal = await refused(403, () => api('POST', `/leads/${id}/reassignment`, { token: sm, body: { owner: smDach } }));
    expect(refusal.message).toMatch(/Only the owner's managers or the MD may do this/);
    const notAnSm = await refused(400, () =>
      api('POST', `/leads/${id}/reassignment`, { token: boss, body: { owner: 'production@salesflow.example' } }),
    );
    expect(notAnSm.errors).toEqual([{ path: 'owner', message: 'must be a sales manager in the people directory' }]);
    await refused(409, () => api('POST', `/leads/${id}/reassignment`, { token: boss, body: { owner: smUk } }));

    const moved = await api('POST', `/leads/${id}/reassignment`, { token: boss, body: { owner: smDach, reason: 'German-speaking buyer' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const lead = await readLead(id, peer);
    expect(lead.owner).toBe(smDach);
    expect(lead.timeline.at(-1)).toMatchObject({
      kind: 'reassigned',
      actor: director,
      summary: `Owner changed from ${smUk} to ${smDach}: German-speaking buyer`,
    });
    expect((await api('GET', `/leads/${id}`, { token: sm })).status).toBe(403);
    const mails = await eventually(async () => {
      const found = (await sentEmails()).filter((e) => /^(No longer|Now) yours: Reassign/.test(e.subject) && e.body.text?.includes(id));
      return found.length === 2 ? found : undefined;
    });
    expect(mails.flatMap((e) => e.destination.to).sort()).toEqual([smDach, smUk]);
  });

  it('an opportunity and an account go the same way; the account takes its calls and visits due with it', async () => {
    const company = `Move ${tag()} Ltd`;
    const leadId = await newLead({ name: 'Mo Ve', email: uniqueEmail('move'), company, country: 'GB' });
    await quiet(leadId);
    const qualified = await api('POST', `/leads/${leadId}/qualification`, { body: qualificationBody(20_000), token: sm });
    const opportunityId = qualified.body.opportunityId;
    await refused(403, () => api('POST', `/opportunities/${opportunityId}/reassignment`, { token: sm, body: { owner: smDach } }));
    expect((await api('POST', `/opportunities/${opportunityId}/reassignment`, { token: md, body: { owner: smDach } })).status).toBe(200);
    expect((await api('GET', `/opportunities/${opportunityId}`, { token: peer })).body.owner).toBe(smDach);

    const account = await api('POST', '/accounts', {
      token: sm,
      body: {
        kind: 'customer',
        name: company,
        ownerEmail: smUk,
        selected: true,
        contacts: [{ name: 'Mo Ve', email: uniqueEmail('move.acct') }],
      },
    });
    expect(account.status).toBe(201);
    const accountId = account.body.id;
    expect((await api('POST', `/accounts/${accountId}/reassignment`, { token: boss, body: { owner: smDach } })).status).toBe(200);
    const moved = await api('GET', `/accounts/${accountId}`, { token: peer });
    expect(moved.body.ownerEmail).toBe(smDach);
    expect(moved.body.due.length).toBeGreaterThan(0);
    for (const due of moved.body.due) expect(due.assignee).toBe(smDach);
  });
});

describe('decisions on a lead', () => {
  it('disqualify: once, with the reason on the timeline', async () => {
    const id = await newLead({ name: 'Dis Qual', email: uniqueEmail('disq'), company: `Disq ${tag()} Ltd`, country: 'GB' });
    await quiet(id);
    await refused(400, () => api('POST', `/leads/${id}/disqualify`, { token: sm, body: { reason: '' } }));
    await refused(403, () => api('POST', `/leads/${id}/disqualify`, { token: peer, body: { reason: 'Student project' } }));
    const done = await api('POST', `/leads/${id}/disqualify`, { token: sm, body: { reason: 'Student project, no budget' } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const lead = await readLead(id);
    expect(lead).toMatchObject({ status: 'disqualified', disqualification: { reason: 'Student project, no budget', by: smUk } });
    expect(lead.timeline.at(-1)).toMatchObject({ kind: 'disqualified', summary: 'Disqualified: Student project, no budget' });
    await refused(409, () => api('POST', `/leads/${id}/disqualify`, { token: sm, body: { reason: 'Again' } }));
  });

  it('a second lead of the same company and country is a possible duplicate; merged, the first reads both histories', async () => {
    const company = `Dupe ${tag()}`;
    const first = await newLead({ name: 'First Contact', email: uniqueEmail('dupe.a'), company: `${company} Ltd`, country: 'GB' });
    const second = await newLead({
      name: 'Second Contact',
      email: uniqueEmail('dupe.b'),
      company: `${company.toUpperCase()} Limited`,
      country: 'gb',
    });
    const other = await newLead({ name: 'Elsewhere', email: uniqueEmail('dupe.c'), company: `${company} Ltd`, country: 'DE' });
    await Promise.all([quiet(first), quiet(second)]);
    await eventually(async () =>
      (await readLead(other, peer)).emails.every((e: { status: string }) => e.status === 'sent') ? true : undefined,
    );
    const lead = await readLead(second);
    expect(lead.possibleDuplicates).toEqual([{ kind: 'lead', id: first, match: 'company', name: `${company} Ltd` }]);
    expect(lead.timeline.map((e: { kind: string }) => e.kind)).toContain('possible-duplicate');
    expect((await readLead(other, peer)).possibleDuplicates).toBeUndefined();

    await refused(409, () => api('POST', `/leads/${second}/merge`, { token: sm, body: { into: second } }));
    await refused(400, () => api('POST', `/leads/${second}/merge`, { token: sm, body: { into: crypto.randomUUID() } }));
    // The DACH lead is another SM's: merging into it needs to act on both.
    await refused(403, () => api('POST', `/leads/${second}/merge`, { token: sm, body: { into: other } }));

    const merged = await api('POST', `/leads/${second}/merge`, { token: sm, body: { into: first } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const survivor = await readLead(first);
    expect(survivor.mergedFrom).toEqual([second]);
    const kinds = survivor.timeline.map((e: { kind: string; fromLead?: string }) => `${e.kind}${e.fromLead ? ' (merged)' : ''}`);
    expect(kinds).toEqual(expect.arrayContaining(['lead-logged', 'lead-logged (merged)', 'merged', 'merged (merged)']));
    expect(survivor.emails.some((e: { fromLead?: string }) => e.fromLead === second)).toBe(true);
    expect((await readLead(second)).status).toBe('merged');
    await refused(409, () => api('POST', `/leads/${second}/merge`, { token: sm, body: { into: first } }));
    const mergedVersion = (await readLead(second)).version;
    await refused(409, () =>
      api('PATCH', `/leads/${second}`, { token: sm, body: { contact: { name: 'X' } }, headers: { 'if-match': mergedVersion } }),
    );
  });

  it("a new lead from an address an account lists is that account's possible duplicate", async () => {
    const email = uniqueEmail('known');
    const account = await api('POST', '/accounts', {
      token: sm,
      body: { kind: 'customer', name: `Known ${tag()} plc`, ownerEmail: smUk, contacts: [{ name: 'Kay Known', email }] },
    });
    const id = await newLead({ name: 'Kay Known', email, company: 'Another name entirely', country: 'GB' });
    expect((await readLead(id)).possibleDuplicates).toEqual([
      expect.objectContaining({ kind: 'account', id: account.body.id, match: 'email' }),
    ]);
  });
});

describe('opportunities', () => {
  const opportunity = async () => {
    const leadId = await newLead({ name: 'Opp Ortunity', email: uniqueEmail('opp'), company: `Opp ${tag()} Ltd`, country: 'GB' });
    await quiet(leadId);
    return (await api('POST', `/leads/${leadId}/qualification`, { body: qualificationBody(40_000), token: sm })).body
      .opportunityId as string;
  };

  it('PATCH sets the forecast: expected close date and probability, as any field, with If-Match', async () => {
    const id = await opportunity();
    const read = (await api('GET', `/opportunities/${id}`, { token: sm })).body;
    const bad = await refused(400, () =>
      api('PATCH', `/opportunities/${id}`, {
        token: sm,
        body: { probability: 140, expectedCloseOn: '31/03/2027' },
        headers: { 'if-match': read.version },
      }),
    );
    expect(bad.errors.map((e: { path: string }) => e.path).sort()).toEqual(['expectedCloseOn', 'probability']);
    const changed = await api('PATCH', `/opportunities/${id}`, {
      token: sm,
      body: { probability: 60, expectedCloseOn: '2027-03-31', qualification: { estimatedValueGbp: 45_000 } },
      headers: { 'if-match': read.version },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const after = (await api('GET', `/opportunities/${id}`, { token: sm })).body;
    expect(after).toMatchObject({
      probability: 60,
      expectedCloseOn: '2027-03-31',
      qualification: { estimatedValueGbp: 45_000, budget: 'Approved' },
    });
    expect(after.timeline.at(-1).summary).toBe(
      'Changed expected close on from (none) to 2027-03-31; probability from (none) to 60; qualification estimated value gbp from 40000 to 45000',
    );
  });

  it('qualification may set the forecast; an order received for the opportunity wins it', async () => {
    const { customer, order } = orderJourney(client);
    const buyer = await customer({ label: 'Won' });
    const leadId = await newLead({ name: 'Wyn Won', email: uniqueEmail('won'), company: buyer.name, country: 'GB' });
    const qualified = await api('POST', `/leads/${leadId}/qualification`, {
      body: { ...qualificationBody(30_000), expectedCloseOn: '2027-01-31', probability: 80 },
      token: sm,
    });
    expect(qualified.status, JSON.stringify(qualified.body)).toBe(201);
    const id = qualified.body.opportunityId;
    expect((await api('GET', `/opportunities/${id}`, { token: sm })).body).toMatchObject({
      status: 'prospect',
      expectedCloseOn: '2027-01-31',
      probability: 80,
    });
    await order(buyer, { opportunityId: id });
    const won = (await api('GET', `/opportunities/${id}`, { token: sm })).body;
    expect(won).toMatchObject({ status: 'won', closed: { outcome: 'won', reason: `Order received, PO ${buyer.po}` } });
    expect(won.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['order-received', 'closed']));
  });

  it('closes as lost with the reason and the competitor, once', async () => {
    const id = await opportunity();
    const won = await refused(400, () =>
      api('POST', `/opportunities/${id}/close`, { token: sm, body: { outcome: 'won', reason: 'x', competitor: 'Rival' } }),
    );
    expect(won.errors[0].path).toBe('competitor');
    await refused(403, () => api('POST', `/opportunities/${id}/close`, { token: peer, body: { outcome: 'lost', reason: 'Price' } }));
    const closed = await api('POST', `/opportunities/${id}/close`, {
      token: sm,
      body: { outcome: 'lost', reason: 'Price', competitor: 'Rival Instruments' },
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const after = (await api('GET', `/opportunities/${id}`, { token: sm })).body;
    expect(after).toMatchObject({
      status: 'lost',
      closed: { outcome: 'lost', reason: 'Price', competitor: 'Rival Instruments', by: smUk },
    });
    expect(after.timeline.at(-1).summary).toBe('Closed as lost: Price (to Rival Instruments)');
    await refused(409, () =>
      api('POST', `/opportunities/${id}/close`, { token: sm, body: { outcome: 'won', reason: 'Changed our mind' } }),
    );
  });
});

describe('PATCH /accounts/{id}', () => {
  it("a contact's new address replaces the old in the person index", async () => {
    const [was, now] = [uniqueEmail('acct.was'), uniqueEmail('acct.now')];
    const created = await api('POST', '/accounts', {
      token: sm,
      body: { kind: 'customer', name: `Contacts ${tag()} Ltd`, ownerEmail: smUk, contacts: [{ name: 'Cora', email: was }] },
    });
    const id = created.body.id;
    const read = (await api('GET', `/accounts/${id}`, { token: sm })).body;
    await refused(400, () => api('PATCH', `/accounts/${id}`, { token: sm, body: { contacts: [] }, headers: { 'if-match': read.version } }));
    const changed = await api('PATCH', `/accounts/${id}`, {
      token: sm,
      body: { contacts: [{ name: 'Cora', email: now }] },
      headers: { 'if-match': read.version },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const dataOf = async (email: string) =>
      JSON.stringify((await api('GET', `/people/${encodeURIComponent(email)}/data`, { token: md })).body);
    expect(await dataOf(now)).toContain(id);
    expect(await dataOf(was)).not.toContain(id);
    const after = (await api('GET', `/accounts/${id}`, { token: sm })).body;
    expect(after.timeline.at(-1)).toMatchObject({ kind: 'edited', actor: smUk });
    await refused(409, () =>
      api('PATCH', `/accounts/${id}`, { token: sm, body: { name: 'Stale Ltd' }, headers: { 'if-match': read.version } }),
    );
  });
});

describe('tasks', () => {
  it('a task on a lead goes on the agenda and into the digest until done', async () => {
    const id = await newLead({ name: 'Tas K', email: uniqueEmail('task'), company: `Task ${tag()} Ltd`, country: 'GB' });
    await quiet(id);
    const title = `Call back about the sample ${tag()}`;
    const dueAt = new Date(Date.now() - 3_600_000).toISOString();
    await refused(403, () => api('POST', '/tasks', { token: peer, body: { subject: { kind: 'lead', id }, title, dueAt } }));
    await refused(400, () =>
      api('POST', '/tasks', { token: sm, body: { subject: { kind: 'lead', id: crypto.randomUUID() }, title, dueAt } }),
    );
    const bad = await refused(400, () =>
      api('POST', '/tasks', { token: sm, body: { subject: { kind: 'lead', id }, title: '', dueAt: 'tomorrow' } }),
    );
    expect(bad.errors.map((e: { path: string }) => e.path).sort()).toEqual(['dueAt', 'title']);

    const added = await api('POST', '/tasks', { token: sm, body: { subject: { kind: 'lead', id }, title, dueAt } });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const taskId = added.body.id;
    const agenda = async () => (await api('GET', '/agenda', { token: sm })).body.items as { summary: string; link: string }[];
    expect((await agenda()).find((item) => item.summary.startsWith(title))).toMatchObject({ link: `/leads/${id}` });

    const fired = await client.fire('weekly-digest', new Date(Date.now() + 60_000).toISOString());
    expect(fired.status).toBe(200);
    await eventually(async () => (await sentEmails()).find((e) => e.destination.to.includes(smUk) && e.body.text?.includes(title)));

    await refused(403, () => api('POST', `/tasks/${taskId}/done`, { token: peer }));
    const done = await api('POST', `/tasks/${taskId}/done`, { token: sm });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await agenda()).find((item) => item.summary.startsWith(title))).toBeUndefined();
    expect((await readLead(id)).timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['task-added', 'task-done']));
    await refused(409, () => api('POST', `/tasks/${taskId}/done`, { token: sm }));
  });
});
