import { beforeAll, describe, expect, it } from 'vitest';
import { routeKey, routes } from '#functions/routes';
import { api, eventually, itemCount, tokenFor, uniqueEmail } from './local-stack';

const valid = {
  channel: 'web-form',
  source: 'prior-contact',
  contact: { name: 'Ann Smith', email: 'ann@acme.test', company: 'Acme Ltd' },
};
const json = { 'content-type': 'application/json' };

/** docs/api.md's refusals, over HTTP, against the real stack: each refused with its status, nothing written. */
describe('the public lead form assumes hostile input', () => {
  let before: number;

  beforeAll(async () => {
    // The people below have signed in before (the directory knows them), so their first request writes nothing.
    for (const [email, role] of [
      ['admin@salesflow.example', 'SalesAdmin'],
      ['mkt@salesflow.example', 'Marketing'],
      ['sm@salesflow.example', 'SalesManager'],
    ] as const) {
      await tokenFor(email, role);
    }
    // Let earlier deliveries settle so the count only moves if a refused request wrote something.
    let last = -1;
    before = await eventually(async () => {
      const now = await itemCount();
      const settled = now === last ? now : undefined;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return settled;
    });
  });

  const cases: [string, string, Record<string, string>, number, string?][] = [
    ['broken JSON', '{"channel":', json, 400],
    ['wrong types', JSON.stringify({ ...valid, contact: { ...valid.contact, email: ['a@b.c'] } }), json, 400, 'contact.email'],
    ['an unknown enum value', JSON.stringify({ ...valid, source: 'psychic' }), json, 400, 'source'],
    [
      'a missing required field',
      JSON.stringify({ ...valid, contact: { name: 'Ann', email: 'ann@acme.test' } }),
      json,
      400,
      'contact.company',
    ],
    ['an oversized body', JSON.stringify({ ...valid, interest: { message: 'x'.repeat(65 * 1024) } }), json, 413],
    ['a wrong content type', JSON.stringify(valid), { 'content-type': 'text/xml' }, 415],
    ['a prototype-pollution key', '{"__proto__":{"admin":true},"channel":"web-form"}', json, 400],
    [
      'HTML/script in a name',
      JSON.stringify({ ...valid, contact: { ...valid.contact, name: '<img src=x onerror=alert(1)>' } }),
      json,
      400,
      'contact.name',
    ],
  ];

  it.each(cases)('%s', async (_, raw, headers, status, field) => {
    const answer = await api('POST', '/leads', { raw, headers });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/application\/json/);
    expect(answer.body.message).toEqual(expect.any(String));
    if (field) expect(answer.body.errors).toContainEqual({ path: field, message: expect.any(String) });
  });

  it('a filled honeypot gets a 201 that stores nothing', async () => {
    const answer = await api('POST', '/leads', {
      body: { ...valid, contact: { ...valid.contact, email: uniqueEmail('bot') }, website: 'http://buy-pills.example' },
    });
    expect(answer.status).toBe(201);
    expect((await api('GET', `/leads/${answer.body.id}`, { token: await tokenFor('admin@salesflow.example', 'SalesAdmin') })).status).toBe(
      404,
    );
  });

  it('none of the refused requests wrote anything', async () => {
    expect(await itemCount()).toBe(before);
  });
});

describe('the public form is throttled as on API Gateway', () => {
  it("a burst beyond the route's limit gets 429s, and the bucket refills", async () => {
    // Honeypot posts: they consume the throttle like any request and store nothing.
    const bot = { ...valid, website: 'http://spam.example' };
    const answers = await Promise.all(Array.from({ length: 80 }, () => api('POST', '/leads', { body: bot })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses).toContain(429);
    expect(new Set(statuses)).toEqual(new Set([201, 429]));
    expect(answers.find((answer) => answer.status === 429)!.body.message).toBe('Too Many Requests');
    // Leave the bucket full again for whichever file runs next.
    const { throttle } = routes.find((route) => routeKey(route) === 'POST /leads')!;
    await new Promise((resolve) => setTimeout(resolve, (throttle!.burst / throttle!.rate) * 1000 + 250));
    expect((await api('POST', '/leads', { body: bot })).status).toBe(201);
  });
});

describe('internal routes refuse the wrong people', () => {
  it('no token 401, a Marketing token 403 for qualification, and a bad body 400 for the right role', async () => {
    const id = '7d8e0c11-7a9e-4c2b-9a57-2f1d3c4b5a69';
    expect((await api('POST', `/leads/${id}/qualification`, { body: {} })).status).toBe(401);
    const marketing = await tokenFor('mkt@salesflow.example', 'Marketing');
    expect((await api('POST', `/leads/${id}/qualification`, { body: {}, token: marketing })).status).toBe(403);
    const sm = await tokenFor('sm@salesflow.example', 'SalesManager');
    const bad = await api('POST', `/leads/${id}/qualification`, { body: { via: 'telepathy' }, token: sm });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['via', 'business', 'estimatedValueGbp']));
  });
});
