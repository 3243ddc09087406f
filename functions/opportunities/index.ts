import { randomUUID } from 'node:crypto';
import { findOpportunity, opportunityWithHistory, recordEngineeringReview } from '#adapters/lead-records';
import { ordersOf } from '#adapters/order-records';
import { ownersPipeline } from '#adapters/pipeline-records';
import { quotesOf } from '#adapters/quote-records';
import { idPath } from '#contract/fields';
import { engineeringAdviceEmail } from '#domain/correspondence';
import { versionOf } from '#domain/edit';
import { NotFound } from '#domain/errors';
import { recordEngineeringAdvice } from '#domain/opportunity';
import { pipelineOf } from '#domain/pipeline';
import { links } from '#functions/config';
import { logger } from '#functions/observability';
import { apiRoute, json } from '#http/api';
import { dispatch } from '#http/dispatch';
import { versionHeader } from '#http/versions';
import { closeOpportunityRoute, patchOpportunity, reassignOpportunity } from './decisions';
import { listOpportunities } from './list-opportunities';
import { engineeringReviewBody, pipelineQuery } from './schemas';

/** An opportunity with its timeline, quotes and orders. */
export const getOpportunity = apiRoute({ route: 'GET /opportunities/{id}', path: idPath }, async ({ path, actOn }) => {
  const [found, quotes, orders] = await Promise.all([opportunityWithHistory(path.id), quotesOf(path.id), ordersOf(path.id)]);
  if (!found) throw new NotFound(`No opportunity ${path.id}`);
  await actOn(found.opportunity.owner, `Opportunity ${path.id}`);
  return json(
    200,
    { ...found.opportunity, version: versionOf(found.opportunity), timeline: found.timeline, emails: found.emails, quotes, orders },
    versionHeader(versionOf(found.opportunity)),
  );
});

/** R10: Engineering reviews and advises the SM, once. */
export const giveEngineeringReview = apiRoute(
  { route: 'POST /opportunities/{id}/engineering-review', path: idPath, body: engineeringReviewBody },
  async ({ path, body, caller }) => {
    const opportunity = await findOpportunity(path.id);
    if (!opportunity) throw new NotFound(`No opportunity ${path.id}`);
    const advice = { ...body, by: caller!.email, at: new Date().toISOString() };
    const { review, entry } = recordEngineeringAdvice(opportunity, advice, randomUUID());
    await recordEngineeringReview(opportunity, review, entry, [engineeringAdviceEmail(opportunity, advice, randomUUID(), links())]);
    logger.info('engineering review given', { opportunityId: opportunity.id, recommendation: body.recommendation });
    return json(201, { opportunityId: opportunity.id, engineeringReview: review });
  },
);

/** The pipeline by stage: whose is the caller's choice, their own by default. */
export const getPipeline = apiRoute({ route: 'GET /pipeline', query: pipelineQuery }, async ({ query, caller, actOn }) => {
  const owner = query.owner ?? caller!.email;
  await actOn(owner, `The pipeline of ${owner}`);
  const { suspects, opportunities } = await ownersPipeline(owner);
  return json(200, { owner, stages: pipelineOf(suspects, opportunities) });
});

/** The opportunities Lambda. */
export const handler = dispatch({
  'GET /opportunities': listOpportunities,
  'GET /opportunities/{id}': getOpportunity,
  'POST /opportunities/{id}/engineering-review': giveEngineeringReview,
  'GET /pipeline': getPipeline,
  'PATCH /opportunities/{id}': patchOpportunity,
  'POST /opportunities/{id}/reassignment': reassignOpportunity,
  'POST /opportunities/{id}/close': closeOpportunityRoute,
});
