import { randomUUID } from 'node:crypto';
import { findLead, findOpportunity } from '#adapters/lead-records';
import { recordOpportunityChange } from '#adapters/record-changes';
import { closeBody, opportunityPatch } from '#contract/edits';
import { idPath } from '#contract/fields';
import { closeOpportunity } from '#domain/decisions';
import { nextVersion } from '#domain/edit';
import type { Opportunity } from '#domain/opportunity';
import { logger } from '#functions/observability';
import { apiRoute } from '#http/api';
import { type EditedKind, editRoute, reassignRoute, recordOr404, versionAnswer } from '#http/record-edits';

/** Issue 15: an opportunity's fields and forecast changed, given to another SM, won or lost. */

const opportunities: EditedKind<Opportunity> = { kind: 'opportunity', find: findOpportunity, owner: 'owner' };

/** The person of the lead it came from, whose name and address find the opportunity too. */
const contactOf = async (opportunity: Opportunity) => (await findLead(opportunity.leadId))?.contact;

export const patchOpportunity = editRoute(opportunities, {
  route: 'PATCH /opportunities/{id}',
  body: opportunityPatch,
  settled: (opportunity) =>
    opportunity.status !== 'prospect' ? `Opportunity ${opportunity.id} is ${opportunity.status}: closed, it stays as it was` : undefined,
  // Its search terms are filed again only when its company changed.
  record: async (change, seen) =>
    recordOpportunityChange(change, seen, change.after.company !== change.before.company ? await contactOf(change.before) : undefined),
});

export const reassignOpportunity = reassignRoute(opportunities, {
  route: 'POST /opportunities/{id}/reassignment',
  title: (opportunity) => opportunity.company,
  record: async (change, version) => recordOpportunityChange(change, version, await contactOf(change.before)),
});

export const closeOpportunityRoute = apiRoute(
  { route: 'POST /opportunities/{id}/close', path: idPath, body: closeBody },
  async ({ path, body, caller, actOn }) => {
    const opportunity = await recordOr404(opportunities, path.id, actOn);
    const at = new Date().toISOString();
    const closed = closeOpportunity(opportunity, body, caller!.email, randomUUID(), at);
    const after: Opportunity = { ...closed.opportunity, updatedAt: nextVersion(opportunity.updatedAt, at) };
    await recordOpportunityChange({ before: opportunity, after, entries: [closed.entry] });
    logger.info('opportunity closed', { opportunityId: opportunity.id, outcome: body.outcome });
    return versionAnswer(after);
  },
);
