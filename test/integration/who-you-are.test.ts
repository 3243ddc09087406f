import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { importJWK, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { issueLocalToken, localAudience, localIssuer, localSub } from '../../infra/local/auth';
import { api, stack, stackClient, tokenFor, uniqueEmail } from './local-stack';
import { line, people, quoteJourney } from './quote-journey';

/**
 * Who a caller is: their `sub` in the people directory, never the email claim (issue 13). And the
 * local API answers only its own pages: a foreign Host or Origin, or a token without `exp`, is refused.
 */
const { opportunity, emailTo, linkIn, quote } = quoteJourney(stackClient(stack));

describe('identity is the sub in the people directory', () => {
  it("a token with sm.uk's sub and the sales director's email approves nothing, and is sm.uk", async () => {
    const { opportunityId, company } = await opportunity({ value: 60_000 });
    const started = await api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: { lines: [line(20_000, 15)], proposalSummary: 'Discounted', nonStandardRequirements: null, validForDays: 30 },
      token: await tokenFor(people.sm, 'SalesManager'),
    });
    expect(started.status).toBe(202);
    const { quoteId } = started.body;
    expect(
      (await api('POST', linkIn(await emailTo(people.salesAdmin, company, /^Prepare the QPA/)), { body: { text: 'Volume deal.' } })).status,
    ).toBe(200);
    await emailTo(people.salesDirector, company, /^Approve or reject the QPA/);

    // The email claim changed to the director's; the sub is still sm.uk's.
    const forged = await issueLocalToken(stack.keyFile, { sub: localSub(people.sm), email: people.salesDirector, roles: ['SalesManager'] });
    const agenda = await api('GET', '/agenda', { token: forged });
    expect(agenda.body.owner).toBe(people.sm);
    const approval = await api('POST', `/quotes/${quoteId}/tasks/approve-qpa`, { body: { decision: 'approve' }, token: forged });
    expect(approval.status).toBe(403);
    expect(approval.body.message).toContain(people.sm);
    expect((await quote(quoteId)).decisions.filter((d: { task: string }) => d.task === 'approve-qpa')).toEqual([]);
  });

  it("a new account signing in with someone else's email is refused, and writes nothing", async () => {
    const impostor = await issueLocalToken(stack.keyFile, { sub: crypto.randomUUID(), email: people.md, roles: ['ManagingDirector'] });
    const answer = await api('GET', '/agenda', { token: impostor });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toMatch(/another person's in the people directory/);
  });

  it('an unverified email is a 403', async () => {
    const token = await issueLocalToken(stack.keyFile, { email: uniqueEmail('unverified'), roles: ['SalesManager'], emailVerified: false });
    const answer = await api('GET', '/agenda', { token });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toMatch(/not verified/);
  });

  it('a token without exp is a 401', async () => {
    const { privateJwk } = JSON.parse(readFileSync(stack.keyFile, 'utf8')) as { privateJwk: JWK };
    const token = await new SignJWT({ email: people.md, email_verified: true, 'cognito:groups': ['ManagingDirector'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setSubject(localSub(people.md))
      .sign(await importJWK(privateJwk, 'ES256'));
    expect((await api('GET', '/agenda', { token })).status).toBe(401);
  });
});

describe('an Idempotency-Key is scoped by route, path and caller', () => {
  it("the same key and body on another opportunity, or from another person, never gets someone else's answer", async () => {
    const first = await opportunity();
    const second = await opportunity();
    const body = { lines: [line(1_000)], proposalSummary: 'Keyed', nonStandardRequirements: null, validForDays: 30 };
    const headers = { 'idempotency-key': `scoped-${Date.now()}` };
    const sm = await tokenFor(people.sm, 'SalesManager');
    const original = await api('POST', `/opportunities/${first.opportunityId}/quotes`, { body, headers, token: sm });
    expect(original.status).toBe(202);
    // The same person retrying gets the same quote.
    expect((await api('POST', `/opportunities/${first.opportunityId}/quotes`, { body, headers, token: sm })).body.quoteId).toBe(
      original.body.quoteId,
    );
    // Another opportunity: a quote of its own.
    const elsewhere = await api('POST', `/opportunities/${second.opportunityId}/quotes`, { body, headers, token: sm });
    expect(elsewhere.status).toBe(202);
    expect(elsewhere.body.quoteId).not.toBe(original.body.quoteId);
    // Another SM: refused by the policy, not answered with sm.uk's quote.
    const peer = await api('POST', `/opportunities/${first.opportunityId}/quotes`, {
      body,
      headers,
      token: await tokenFor('sm.dach@salesflow.example', 'SalesManager'),
    });
    expect(peer.status).toBe(403);
    expect(JSON.stringify(peer.body)).not.toContain(original.body.quoteId);
    // The sales director may quote it: a request of their own, with a quote of its own.
    const director = await api('POST', `/opportunities/${first.opportunityId}/quotes`, {
      body,
      headers,
      token: await tokenFor(people.salesDirector, 'SalesManager'),
    });
    expect(director.status).toBe(202);
    expect(director.body.quoteId).not.toBe(original.body.quoteId);
  });
});

/** A raw request, so that Host can be anything (fetch sets its own). */
const raw = (path: string, headers: Record<string, string>, method = 'GET', body?: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(path, stack.api);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });

describe('the local API answers only its own pages (DNS rebinding)', () => {
  const own = new URL(stack.api).host;

  it('a foreign Host is a 403, even for the public health check', async () => {
    expect((await raw('/health', { host: own })).status).toBe(200);
    expect((await raw('/health', { host: `localhost:${new URL(stack.api).port}` })).status).toBe(200);
    const rebound = await raw('/health', { host: `evil.test:${new URL(stack.api).port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatch(/Host/);
  });

  it('a foreign Origin cannot take a token from the local sign-in, nor post a lead', async () => {
    const signIn = JSON.stringify({ email: people.md, roles: ['ManagingDirector'] });
    const json = { host: own, 'content-type': 'application/json' };
    expect((await raw('/local/sign-in', { ...json, origin: 'http://evil.test' }, 'POST', signIn)).status).toBe(403);
    expect((await raw('/local/sign-in', { ...json, origin: stack.api }, 'POST', signIn)).status).toBe(200);
    const lead = JSON.stringify({
      channel: 'web-form',
      source: 'marketing-campaign',
      contact: { name: 'A', email: uniqueEmail('origin'), company: 'B' },
    });
    expect((await raw('/leads', { ...json, origin: 'http://evil.test' }, 'POST', lead)).status).toBe(403);
  });
});
