import { randomUUID } from 'node:crypto';
import { findLead } from '#adapters/lead-records';
import { recordLeadChange, recordMerge } from '#adapters/record-changes';
import { disqualificationBody, leadPatch, mergeBody } from '#contract/edits';
import { idPath } from '#contract/fields';
import { disqualify, merge } from '#domain/decisions';
import { nextVersion } from '#domain/edit';
import type { Lead } from '#domain/lead';
import { logger } from '#functions/observability';
import { apiRoute, json, Problem } from '#http/api';
import { type EditedKind, editRoute, reassignRoute, recordOr404, versionAnswer } from '#http/record-edits';

/** Issue 15: a lead's details changed, and what the SMs and their managers decide about it. */

const leads: EditedKind<Lead> = { kind: 'lead', find: findLead, owner: 'owner' };

/** Contact details and interest, checked as on create; the timeline says who changed what from what. */
export const patchLead = editRoute(leads, {
  route: 'PATCH /leads/{id}',
  body: leadPatch,
  settled: (lead) => (lead.status === 'merged' ? `Lead ${lead.id} was merged into lead ${lead.mergedInto}: change that one` : undefined),
  record: (change, seen) => recordLeadChange(change, seen),
});

/** Another SM owns the lead from now on; the sales director or the MD decides; both SMs are told. */
export const reassignLead = reassignRoute(leads, {
  route: 'POST /leads/{id}/reassignment',
  title: (lead) => lead.contact.company,
  record: (change, version) => recordLeadChange(change, version),
});

export const disqualifyLead = apiRoute(
  { route: 'POST /leads/{id}/disqualify', path: idPath, body: disqualificationBody },
  async ({ path, body, caller, actOn }) => {
    const lead = await recordOr404(leads, path.id, actOn);
    const at = new Date().toISOString();
    const decided = disqualify(lead, body.reason, caller!.email, randomUUID(), at);
    const after: Lead = { ...decided.lead, updatedAt: nextVersion(lead.updatedAt, at) };
    await recordLeadChange({ before: lead, after, entries: [decided.entry] });
    logger.info('lead disqualified', { leadId: lead.id });
    return versionAnswer(after);
  },
);

/** This suspect (the path's) is folded into `into`, which reads its timeline and emails from now on. */
export const mergeLead = apiRoute(
  { route: 'POST /leads/{id}/merge', path: idPath, body: mergeBody },
  async ({ path, body, caller, actOn }) => {
    const lead = await recordOr404(leads, path.id, actOn);
    const into = body.into === lead.id ? lead : await findLead(body.into);
    if (!into) throw new Problem(400, 'Invalid request body', [{ path: 'into', message: 'no such lead' }]);
    await actOn(into.owner, `Lead ${into.id}`);
    const at = new Date().toISOString();
    const merged = merge(lead, into, caller!.email, [randomUUID(), randomUUID()], at);
    await recordMerge(
      { before: lead, after: { ...merged.merged, updatedAt: nextVersion(lead.updatedAt, at) }, entries: [merged.mergedEntry] },
      { before: into, after: { ...merged.into, updatedAt: nextVersion(into.updatedAt, at) }, entries: [merged.intoEntry] },
    );
    logger.info('leads merged', { leadId: lead.id, into: into.id });
    return json(200, { id: lead.id, mergedInto: into.id }, { location: `/leads/${into.id}` });
  },
);
