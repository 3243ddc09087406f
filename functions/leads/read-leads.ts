import { InvalidCursor, leadWithHistory, listLeads } from '#adapters/lead-records';
import { idPath } from '#contract/fields';
import { NotFound } from '#domain/errors';
import { apiRoute, json, Problem } from '#http/api';
import { versionHeader } from '#http/versions';
import { leadListQuery } from './schemas';

/** A lead with everything filed under it: its timeline, and the emails sent for it. */
export const getLead = apiRoute({ route: 'GET /leads/{id}', path: idPath }, async ({ path, actOn }) => {
  const found = await leadWithHistory(path.id);
  if (!found) throw new NotFound(`No lead ${path.id}`);
  await actOn(found.lead.owner, `Lead ${path.id}`);
  // Leads merged into this one keep their history where it was: read with this lead's, in time order.
  const merged = (await Promise.all((found.lead.mergedFrom ?? []).map((id) => leadWithHistory(id)))).filter((m) => m !== undefined);
  const timeline = [...found.timeline, ...merged.flatMap((m) => m.timeline.map((entry) => ({ ...entry, fromLead: m.lead.id })))].sort(
    (a, b) => a.at.localeCompare(b.at),
  );
  const emails = [...found.emails, ...merged.flatMap((m) => m.emails.map((email) => ({ ...email, fromLead: m.lead.id })))];
  return json(200, { ...found.lead, version: found.lead.updatedAt, timeline, emails }, versionHeader(found.lead.updatedAt));
});

/** Leads by status or owner, newest first, a page at a time; an SM's list is their own (or their reports'). */
export const listLeadsRoute = apiRoute({ route: 'GET /leads', query: leadListQuery }, async ({ query, caller, actOn, actsOnAny }) => {
  const owner = query.owner ?? (actsOnAny ? undefined : caller!.email);
  if (owner) await actOn(owner, `The leads of ${owner}`);
  try {
    return json(200, await listLeads({ ...query, owner }));
  } catch (error) {
    if (error instanceof InvalidCursor) {
      throw new Problem(400, 'Invalid query', [{ path: 'cursor', message: error.message }]);
    }
    throw error;
  }
});
