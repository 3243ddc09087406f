/**
 * R18, R22, R26: what waits on a person: a step on a quote or an order, a contract review, an
 * equipment check, a corrective action, a quote to follow up. Each is filed under its record and
 * shows on GET /agenda and in the digest until it is closed.
 */
export interface AgendaItem {
  /** The step's key on its record: "contract-review", "approve-qpa:finance", "quote-follow-up:<id>". */
  kind: string;
  assignee: string;
  dueAt: string;
  summary: string;
  subject: { kind: 'order' | 'quote' | 'opportunity' | 'lead' | 'account'; id: string };
}

/** Whole days overdue; 0 when due today or not yet. */
export const daysOverdue = (dueAt: string, now: Date): number => Math.max(0, Math.floor((now.getTime() - Date.parse(dueAt)) / 86_400_000));
