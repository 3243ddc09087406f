import { randomUUID } from 'node:crypto';

/**
 * R27: every significant item is recorded on the timeline of its lead, opportunity, account or
 * order: who, when, what, through which channel. Entries are only ever appended.
 */
export const timelineKinds = [
  'lead-logged',
  'lead-repeated',
  'customer-responded-to',
  'owner-advised',
  'email-sent',
  'email-failed',
  'qualified',
  'opportunity-opened',
  'engineering-review-requested',
  'engineering-review-given',
  'activity',
  'quote-requested',
  'quote-step-assigned',
  'quote-step',
  'quote-escalated',
  'quote-returned',
  'quote-documents-composed',
  'quote-sent',
  'quote-follow-up',
  'quote-lapsed',
  'quote-failed',
  'contract-requested',
  'contract-decided',
  'account-opened',
  'order-received',
  'order-step',
  'support-registered',
  'contract-review-done',
  'packed',
  'shipped',
  'post-shipment-skipped',
  'delivery-check',
  'sm-reminded',
  'equipment-check',
  'corrective-action',
  'follow-up-escalated',
  'campaign-opened',
  'campaign-material',
  'email-suppressed',
  'edited',
  'reassigned',
  'disqualified',
  'merged',
  'possible-duplicate',
  'closed',
  'task-added',
  'task-done',
] as const;

export type TimelineKind = (typeof timelineKinds)[number];

/** Who did it: a person's email, or the process itself. */
export type Actor = string;
export const systemActor: Actor = 'salesflow';

export interface TimelineEntry {
  id: string;
  at: string;
  actor: Actor;
  kind: TimelineKind;
  /** How it happened: web-form, phone, email, visit... */
  channel?: string;
  summary: string;
  detail?: Record<string, unknown>;
}

/** An entry the process itself writes (a workflow step), with a fresh id. */
export const systemEntry = (kind: TimelineKind, summary: string, detail: Record<string, unknown>, at: string): TimelineEntry => ({
  id: randomUUID(),
  at,
  actor: systemActor,
  kind,
  summary,
  detail,
});
