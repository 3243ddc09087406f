import { escapeHtml, htmlPage, type Links, type OutgoingEmail, pageUrl } from './correspondence';
import { Conflict } from './errors';
import type { Lead } from './lead';
import type { Opportunity } from './opportunity';
import type { TimelineEntry } from './timeline';

/**
 * The SM's and their managers' decisions on a record (issue 15): whose it is, that a lead is no
 * lead or the same customer's as another, that an opportunity is won or lost.
 */

export type OwnedKind = 'lead' | 'opportunity' | 'account';
const pages = { lead: 'lead', opportunity: 'opportunity', account: 'account' } as const;

export interface Reassignment {
  entry: TimelineEntry;
  /** Both SMs hear of it: the one who had it and the one who has it now. */
  emails: OutgoingEmail[];
}

/** Another SM owns the record from now on; giving it to its owner changes nothing and says so. */
export const reassign = (
  record: { kind: OwnedKind; id: string; name: string; owner: string },
  to: string,
  by: string,
  reason: string | undefined,
  ids: { entryId: string; emailIds: [string, string] },
  at: string,
  links: Links,
): Reassignment => {
  const from = record.owner.toLowerCase();
  if (from === to.toLowerCase()) throw new Conflict(`${record.name} is ${to}'s already`);
  const url = pageUrl(links, pages[record.kind], record.id);
  const why = reason ? ` Reason: ${reason}.` : '';
  const email = (id: string, recipient: string, subject: string, opening: string): OutgoingEmail => ({
    id,
    purpose: 'reassignment',
    to: [recipient],
    subject,
    text: `${opening}${why}\n\nOpen it: ${url}\n`,
    html: htmlPage([escapeHtml(`${opening}${why}`), `<a href="${escapeHtml(url)}">Open the ${record.kind}</a>`]),
  });
  return {
    entry: {
      id: ids.entryId,
      at,
      actor: by,
      kind: 'reassigned',
      channel: 'internal',
      summary: `Owner changed from ${from} to ${to}${reason ? `: ${reason}` : ''}`,
      detail: { from, to, ...(reason ? { reason } : {}) },
    },
    emails: [
      email(ids.emailIds[0], from, `No longer yours: ${record.name}`, `${by} gave the ${record.kind} ${record.name} to ${to}.`),
      email(ids.emailIds[1], to, `Now yours: ${record.name}`, `${by} gave you the ${record.kind} ${record.name}, until now ${from}'s.`),
    ],
  };
};

/** What a decision on a lead needs of it: it is still open (not decided already or merged away). */
const stillOpen = (lead: Lead) => {
  if (lead.status === 'merged') throw new Conflict(`Lead ${lead.id} was merged into lead ${lead.mergedInto}`);
  if (lead.status === 'disqualified') throw new Conflict(`Lead ${lead.id} is disqualified already`);
};

/** R5: the SM decides the suspect is no lead; it keeps its history and leaves the suspects. */
export const disqualify = (lead: Lead, reason: string, by: string, entryId: string, at: string): { lead: Lead; entry: TimelineEntry } => {
  stillOpen(lead);
  if (lead.status !== 'suspect') throw new Conflict(`Lead ${lead.id} is a ${lead.status} already: close its opportunity instead`);
  return {
    lead: { ...lead, status: 'disqualified', disqualification: { reason, by, at } },
    entry: {
      id: entryId,
      at,
      actor: by,
      kind: 'disqualified',
      channel: 'internal',
      summary: `Disqualified: ${reason}`,
      detail: { reason },
    },
  };
};

/**
 * Two leads of one customer become one: the merged lead keeps its timeline and emails where they
 * are, linked from the surviving lead, which reads them with its own; both timelines say so.
 */
export const merge = (
  merged: Lead,
  into: Lead,
  by: string,
  entryIds: [string, string],
  at: string,
): { merged: Lead; into: Lead; mergedEntry: TimelineEntry; intoEntry: TimelineEntry } => {
  if (merged.id === into.id) throw new Conflict('A lead cannot be merged into itself');
  stillOpen(merged);
  stillOpen(into);
  if (merged.status !== 'suspect')
    throw new Conflict(`Lead ${merged.id} is a ${merged.status}: only a suspect can be merged into another lead`);
  const name = (lead: Lead) => `${lead.contact.company} (${lead.contact.name})`;
  return {
    merged: { ...merged, status: 'merged', mergedInto: into.id },
    into: { ...into, mergedFrom: [...(into.mergedFrom ?? []), merged.id] },
    mergedEntry: {
      id: entryIds[0],
      at,
      actor: by,
      kind: 'merged',
      channel: 'internal',
      summary: `Merged into lead ${into.id}, ${name(into)}: its history is read there`,
      detail: { into: into.id },
    },
    intoEntry: {
      id: entryIds[1],
      at,
      actor: by,
      kind: 'merged',
      channel: 'internal',
      summary: `Lead ${merged.id}, ${name(merged)}, merged into this one, with its timeline and emails`,
      detail: { merged: merged.id },
    },
  };
};

export const closeOutcomes = ['won', 'lost'] as const;
export type CloseOutcome = (typeof closeOutcomes)[number];

export interface Closing {
  outcome: CloseOutcome;
  reason: string;
  /** Who won it instead, when lost. */
  competitor?: string;
  by: string;
  at: string;
}

/** An opportunity is won or lost, once; an order received wins it (see wonByOrder). */
export const closeOpportunity = (
  opportunity: Opportunity,
  closing: Omit<Closing, 'by' | 'at'>,
  by: string,
  entryId: string,
  at: string,
): { opportunity: Opportunity; entry: TimelineEntry } => {
  if (opportunity.status !== 'prospect') throw new Conflict(`Opportunity ${opportunity.id} is ${opportunity.status} already`);
  const closed: Closing = { ...closing, by, at };
  return {
    opportunity: { ...opportunity, status: closing.outcome, closed },
    entry: {
      id: entryId,
      at,
      actor: by,
      kind: 'closed',
      channel: 'internal',
      summary: `Closed as ${closing.outcome}: ${closing.reason}${closing.competitor ? ` (to ${closing.competitor})` : ''}`,
      detail: { ...closing },
    },
  };
};

/** R20: an order received for an opportunity still open wins it. */
export const wonByOrder = (opportunity: Opportunity, order: { id: string; poNumber: string }, by: string, entryId: string, at: string) =>
  opportunity.status === 'prospect'
    ? closeOpportunity(opportunity, { outcome: 'won', reason: `Order received, PO ${order.poNumber}` }, by, entryId, at)
    : undefined;
