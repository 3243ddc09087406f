import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { distributors, findAccount } from '#adapters/account-records';
import { linkKey } from '#adapters/action-records';
import {
  campaignWithHistory,
  findCampaign,
  recordMaterialSent,
  recordNewCampaign,
  suppress,
  suppressedAmong,
} from '#adapters/campaign-records';
import { AlreadyRecorded } from '#adapters/dynamodb';
import { idPath } from '#contract/fields';
import type { Account } from '#domain/account';
import { campaignReport, materialEmail } from '#domain/campaign';
import { escapeHtml } from '#domain/correspondence';
import { NotFound } from '#domain/errors';
import { money } from '#domain/money';
import { signUnsubscribe, verifyUnsubscribe } from '#domain/unsubscribe-link';
import { links } from '#functions/config';
import { logger } from '#functions/observability';
import { type ApiResult, apiRoute, json, Problem } from '#http/api';
import { dispatch } from '#http/dispatch';
import { keyedRequest, partId } from '#http/idempotency';
import { campaignBody, materialBody, unsubscribePath } from './schemas';

/** R1: Marketing records a campaign. */
export const createCampaign = apiRoute({ route: 'POST /campaigns', body: campaignBody }, async ({ body, caller }) => {
  const at = new Date().toISOString();
  const campaign = { ...body, id: randomUUID(), createdBy: caller!.email, createdAt: at };
  await recordNewCampaign(campaign, {
    id: randomUUID(),
    at,
    actor: caller!.email,
    kind: 'campaign-opened',
    summary: `${campaign.kind} campaign "${campaign.name}" from ${campaign.startsOn}${campaign.costGbp !== undefined ? `, ${money(campaign.costGbp)}` : ''}`,
  });
  return json(201, { id: campaign.id }, { location: `/campaigns/${campaign.id}` });
});

/** R1: what a campaign brought: its leads, the qualified ones, and what each cost. */
export const getCampaign = apiRoute({ route: 'GET /campaigns/{id}', path: idPath }, async ({ path }) => {
  const found = await campaignWithHistory(path.id);
  if (!found) throw new NotFound(`No campaign ${path.id}`);
  return json(200, { ...campaignReport(found.campaign, found.stats), timeline: found.timeline });
});

/**
 * R2: mailshot or cold-call material to the chosen distributors' contacts, each with an
 * unsubscribe link; suppressed addresses are skipped. Each send goes on the distributor's timeline.
 */
export const sendMaterial = apiRoute(
  { route: 'POST /campaigns/{id}/materials', path: idPath, body: materialBody },
  async ({ path, body, caller, event }) => {
    // The key names each email it queues: a retry queues only what the first request did not.
    const request = keyedRequest(event, [path.id, caller!.email], body);
    const campaign = await findCampaign(path.id);
    if (!campaign) throw new NotFound(`No campaign ${path.id}`);
    const chosen: Account[] =
      'size' in body.to
        ? await distributors(body.to.size)
        : await Promise.all(
            // The same distributor listed twice gets the material once.
            [...new Set(body.to.distributorIds)].map(async (id, index) => {
              const account = await findAccount(id);
              if (account?.kind !== 'distributor') {
                throw new Problem(400, 'Invalid request body', [
                  { path: `to.distributorIds.${index}`, message: 'must be a distributor account' },
                ]);
              }
              return account;
            }),
          );
    const suppressed = await suppressedAmong(chosen.flatMap((d) => d.contacts.map((c) => c.email)));
    const key = await linkKey();
    let emailsQueued = 0;
    let alreadyQueued = 0;
    let skipped = 0;
    for (const distributor of chosen) {
      const recipients = distributor.contacts.filter((c) => !suppressed.has(c.email.toLowerCase()));
      skipped += distributor.contacts.length - recipients.length;
      const emails = recipients.map((contact) =>
        materialEmail(
          campaign,
          body,
          { ...contact, company: distributor.name },
          new URL(`/unsubscribe/${signUnsubscribe(key, contact.email)}`, links().appBaseUrl).toString(),
          partId(request, distributor.id, contact.email.toLowerCase()),
        ),
      );
      const queued = await recordMaterialSent(
        distributor.id,
        {
          id: randomUUID(),
          at: new Date().toISOString(),
          actor: caller!.email,
          kind: 'campaign-material',
          channel: 'email',
          summary: `${body.kind === 'cold-call' ? 'Cold-call material' : 'Mailshot'} "${body.subject}" from campaign "${campaign.name}" to ${emails.length} contact${emails.length === 1 ? '' : 's'}${distributor.contacts.length > emails.length ? ` (${distributor.contacts.length - emails.length} unsubscribed)` : ''}`,
          detail: { campaignId: campaign.id, material: body.kind },
        },
        emails,
      ).then(
        () => true,
        (error: unknown) => {
          if (error instanceof AlreadyRecorded && request.keyed) return false;
          throw error;
        },
      );
      if (queued) emailsQueued += emails.length;
      else alreadyQueued += emails.length;
    }
    logger.info('campaign material sent', { campaignId: campaign.id, distributors: chosen.length, emailsQueued, suppressed: skipped });
    // A retry answers as the first request did: what it queued counts, whichever request queued it.
    return json(202, { distributors: chosen.length, emailsQueued: emailsQueued + alreadyQueued, suppressed: skipped });
  },
);

const page = (status: number, title: string, body: string): ApiResult => ({
  statusCode: status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    // same-origin, not no-referrer: with no-referrer the browser posts the unsubscribe form with
    // "Origin: null", which a same-origin check (the local API's) refuses. The token never leaves the site.
    'referrer-policy': 'same-origin',
  },
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
});

/** The link in a bulk email: GET asks (mail scanners open links), POST unsubscribes. */
export const showUnsubscribe = apiRoute({ route: 'GET /unsubscribe/{token}', path: unsubscribePath }, async ({ path }) => {
  const address = verifyUnsubscribe(await linkKey(), path.token);
  return page(
    200,
    'Unsubscribe',
    `<p>Stop marketing email to <strong>${escapeHtml(address)}</strong>? Emails about your orders and support still come.</p><form method="post"><input type="hidden" name="confirm" value="yes"><button type="submit">Unsubscribe</button></form>`,
  );
});

export const unsubscribe = apiRoute(
  { route: 'POST /unsubscribe/{token}', path: unsubscribePath, body: z.unknown(), fromForm: () => ({}) },
  async ({ path }) => {
    const address = verifyUnsubscribe(await linkKey(), path.token);
    await suppress(address, 'unsubscribed', new Date().toISOString());
    logger.info('unsubscribed');
    return page(200, 'Unsubscribed', `<p>${escapeHtml(address)} will get no more marketing email from us.</p>`);
  },
);

/** The marketing Lambda. */
export const handler = dispatch({
  'POST /campaigns': createCampaign,
  'GET /campaigns/{id}': getCampaign,
  'POST /campaigns/{id}/materials': sendMaterial,
  'GET /unsubscribe/{token}': showUnsubscribe,
  'POST /unsubscribe/{token}': unsubscribe,
});
