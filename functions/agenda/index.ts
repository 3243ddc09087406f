import { openAgendaOf } from '#adapters/agenda-records';
import { daysOverdue } from '#domain/agenda';
import { apiRoute, json } from '#http/api';
import { dispatch } from '#http/dispatch';
import { search } from './search';

/**
 * GET /agenda: the caller's open items (R22's contract reviews, R26's equipment checks and
 * corrective actions), from the owner index, most overdue first. Overdue items stay and say by
 * how much.
 */
const collections = { order: 'orders', quote: 'quotes', opportunity: 'opportunities', lead: 'leads', account: 'accounts' } as const;

export const getAgenda = apiRoute({ route: 'GET /agenda' }, async ({ caller }) => {
  const now = new Date();
  const items = (await openAgendaOf(caller!.email))
    .map((item) => ({
      ...item,
      overdueByDays: daysOverdue(item.dueAt, now),
      link: `/${collections[item.subject.kind]}/${item.subject.id}`,
    }))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return json(200, { owner: caller!.email, items });
});

/** The agenda Lambda. */
export const handler = dispatch({ 'GET /agenda': getAgenda, 'GET /search': search });
