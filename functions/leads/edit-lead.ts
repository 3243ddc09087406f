import { randomUUID } from 'node:crypto';
import { recordLeadChange, recordMerge } from '#adapters/record-changes';
import { findLead } from '#adapters/sales-records';
import { disqualificationBody, leadPatch, mergeBody, reassignmentBody } from '#contract/edits';
import { idPath } from '#contract/fields';
import { disqualify, merge, reassign } from '#domain/decisions';
import { changesOf, checkVersion, editEntry, nextVersion, patched } from '#domain/edit';
import { Conflict, NotFound } from '#domain/errors';
import type { Lead } from '#domain/lead';
import { links } from '#functions/config';
import { logger } from '#functions/observability';
import { apiRoute, json, Problem } from '#http/api';
import { salesManagerOr400 } from '#http/new-owner';
import { versionHeader, versionSeen } from '#http/versions';

/** Issue 15: a lead's details changed, and what the SMs and their managers decide about it. */

const leadOr404 = async (id: string) => {
  const lead = await findLead(id);
  if (!lead) throw new NotFound(`No lead ${id}`);
  return lead;
};

const answer = (lead: Lead) => json(200, { id: lead.id, version: lead.updatedAt }, versionHeader(lead.updatedAt));

/** Contact details and interest, checked as on create; the timeline says who changed what from what. */
export const patchLead = apiRoute(
  { route: 'PATCH /leads/{id}', path: idPath, body: leadPatch },
  async ({ path, body, caller, actOn, event }) => {
    const lead = await leadOr404(path.id);
    await actOn(lead.owner, `Lead ${path.id}`);
    const seen = versionSeen(event);
    checkVersion(lead, seen, `Lead ${path.id}`);
    if (lead.status === 'merged') throw new Conflict(`Lead ${lead.id} was merged into lead ${lead.mergedInto}: change that one`);
    const changes = changesOf(lead, body);
    if (!changes.length) return answer(lead);
    const at = new Date().toISOString();
    const after: Lead = { ...patched(lead, body), updatedAt: nextVersion(lead.updatedAt, at) };
    await recordLeadChange({ before: lead, after, entries: [editEntry(changes, caller!.email, at, randomUUID())] }, seen);
    logger.info('lead edited', { leadId: lead.id, fields: changes.map((c) => c.field) });
    return answer(after);
  },
);

/** Another SM owns the lead from now on; the sales director or the MD decides; both SMs are told. */
export const reassignLead = apiRoute(
  { route: 'POST /leads/{id}/reassignment', path: idPath, body: reassignmentBody },
  async ({ path, body, caller, actOn }) => {
    const lead = await leadOr404(path.id);
    await actOn(lead.owner, `Lead ${path.id}`);
    const owner = await salesManagerOr400(body.owner);
    const at = new Date().toISOString();
    const { entry, emails } = reassign(
      { kind: 'lead', id: lead.id, name: lead.contact.company, owner: lead.owner },
      owner,
      caller!.email,
      body.reason,
      { entryId: randomUUID(), emailIds: [randomUUID(), randomUUID()] },
      at,
      links(),
    );
    const after: Lead = { ...lead, owner, updatedAt: nextVersion(lead.updatedAt, at) };
    await recordLeadChange({ before: lead, after, entries: [entry], emails });
    logger.info('lead reassigned', { leadId: lead.id });
    return answer(after);
  },
);

export const disqualifyLead = apiRoute(
  { route: 'POST /leads/{id}/disqualify', path: idPath, body: disqualificationBody },
  async ({ path, body, caller, actOn }) => {
    const lead = await leadOr404(path.id);
    await actOn(lead.owner, `Lead ${path.id}`);
    const at = new Date().toISOString();
    const decided = disqualify(lead, body.reason, caller!.email, randomUUID(), at);
    const after: Lead = { ...decided.lead, updatedAt: nextVersion(lead.updatedAt, at) };
    await recordLeadChange({ before: lead, after, entries: [decided.entry] });
    logger.info('lead disqualified', { leadId: lead.id });
    return answer(after);
  },
);

/** This suspect (the path's) is folded into `into`, which reads its timeline and emails from now on. */
export const mergeLead = apiRoute(
  { route: 'POST /leads/{id}/merge', path: idPath, body: mergeBody },
  async ({ path, body, caller, actOn }) => {
    const lead = await leadOr404(path.id);
    await actOn(lead.owner, `Lead ${path.id}`);
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
