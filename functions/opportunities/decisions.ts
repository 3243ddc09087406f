import { randomUUID } from 'node:crypto';
import { recordOpportunityChange } from '#adapters/record-changes';
import { findLead, findOpportunity } from '#adapters/sales-records';
import { closeBody, opportunityPatch, reassignmentBody } from '#contract/edits';
import { idPath } from '#contract/fields';
import { closeOpportunity, reassign } from '#domain/decisions';
import { changesOf, checkVersion, editEntry, nextVersion, patched } from '#domain/edit';
import { Conflict, NotFound } from '#domain/errors';
import type { Opportunity } from '#domain/opportunity';
import { links } from '#functions/config';
import { logger } from '#functions/observability';
import { apiRoute, json } from '#http/api';
import { salesManagerOr400 } from '#http/new-owner';
import { versionHeader, versionSeen } from '#http/versions';

/** Issue 15: an opportunity's fields and forecast changed, given to another SM, won or lost. */

const opportunityOr404 = async (id: string) => {
  const opportunity = await findOpportunity(id);
  if (!opportunity) throw new NotFound(`No opportunity ${id}`);
  return opportunity;
};

const answer = (opportunity: Opportunity) =>
  json(200, { id: opportunity.id, version: opportunity.updatedAt }, versionHeader(opportunity.updatedAt));

export const patchOpportunity = apiRoute(
  { route: 'PATCH /opportunities/{id}', path: idPath, body: opportunityPatch },
  async ({ path, body, caller, actOn, event }) => {
    const opportunity = await opportunityOr404(path.id);
    await actOn(opportunity.owner, `Opportunity ${path.id}`);
    const seen = versionSeen(event);
    checkVersion(opportunity, seen, `Opportunity ${path.id}`);
    if (opportunity.status !== 'prospect')
      throw new Conflict(`Opportunity ${path.id} is ${opportunity.status}: closed, it stays as it was`);
    const changes = changesOf(opportunity, body);
    if (!changes.length) return answer(opportunity);
    const at = new Date().toISOString();
    const after: Opportunity = { ...patched(opportunity, body), updatedAt: nextVersion(opportunity.updatedAt, at) };
    const contact = after.company !== opportunity.company ? (await findLead(opportunity.leadId))?.contact : undefined;
    await recordOpportunityChange(
      { before: opportunity, after, entries: [editEntry(changes, caller!.email, at, randomUUID())] },
      seen,
      contact,
    );
    logger.info('opportunity edited', { opportunityId: opportunity.id, fields: changes.map((c) => c.field) });
    return answer(after);
  },
);

export const reassignOpportunity = apiRoute(
  { route: 'POST /opportunities/{id}/reassignment', path: idPath, body: reassignmentBody },
  async ({ path, body, caller, actOn }) => {
    const opportunity = await opportunityOr404(path.id);
    await actOn(opportunity.owner, `Opportunity ${path.id}`);
    const owner = await salesManagerOr400(body.owner);
    const at = new Date().toISOString();
    const { entry, emails } = reassign(
      { kind: 'opportunity', id: opportunity.id, name: opportunity.company, owner: opportunity.owner },
      owner,
      caller!.email,
      body.reason,
      { entryId: randomUUID(), emailIds: [randomUUID(), randomUUID()] },
      at,
      links(),
    );
    const after: Opportunity = { ...opportunity, owner, updatedAt: nextVersion(opportunity.updatedAt, at) };
    await recordOpportunityChange(
      { before: opportunity, after, entries: [entry], emails },
      opportunity.updatedAt,
      (await findLead(opportunity.leadId))?.contact,
    );
    logger.info('opportunity reassigned', { opportunityId: opportunity.id });
    return answer(after);
  },
);

export const closeOpportunityRoute = apiRoute(
  { route: 'POST /opportunities/{id}/close', path: idPath, body: closeBody },
  async ({ path, body, caller, actOn }) => {
    const opportunity = await opportunityOr404(path.id);
    await actOn(opportunity.owner, `Opportunity ${path.id}`);
    const at = new Date().toISOString();
    const closed = closeOpportunity(opportunity, body, caller!.email, randomUUID(), at);
    const after: Opportunity = { ...closed.opportunity, updatedAt: nextVersion(opportunity.updatedAt, at) };
    await recordOpportunityChange({ before: opportunity, after, entries: [closed.entry] });
    logger.info('opportunity closed', { opportunityId: opportunity.id, outcome: body.outcome });
    return answer(after);
  },
);
