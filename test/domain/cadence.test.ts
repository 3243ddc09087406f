import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysOverdue } from '#domain/agenda';
import { after, cadencesFor, completedBy, type DueContact, firstDue, nextDue, defaultCadenceRules as rules } from '#domain/cadence';
import { type DueThing, digestEmail, digestsOf } from '#domain/digest';

const at = (iso: string) => new Date(iso);
const sm = 'sm@x.test';

describe('R6-R8: who is called and visited, how often', () => {
  it('a large distributor: a weekly call and a quarterly visit with its agenda; a small one: monthly and half-yearly', () => {
    expect(cadencesFor({ kind: 'distributor', size: 'large', selected: false, ownerEmail: sm }, rules)).toEqual([
      { kind: 'sm-call', assignee: sm, every: { days: 7 } },
      { kind: 'sm-visit', assignee: sm, every: { months: 3 }, agenda: rules.visitAgenda },
    ]);
    const small = cadencesFor({ kind: 'distributor', size: 'small', selected: false, ownerEmail: sm }, rules);
    expect(small.map((c) => c.every)).toEqual([{ months: 1 }, { months: 6 }]);
    expect(rules.visitAgenda).toEqual([
      'Forecast',
      'Key prospects',
      'Joint customer visits',
      'Blue Sheet review',
      'Sales and marcoms needs',
      'Sales training',
    ]);
  });

  it('a selected customer gets a quarterly call; any other customer none', () => {
    expect(cadencesFor({ kind: 'customer', selected: true, ownerEmail: sm }, rules)).toEqual([
      { kind: 'sm-call', assignee: sm, every: { months: 3 } },
    ]);
    expect(cadencesFor({ kind: 'customer', selected: false, ownerEmail: sm }, rules)).toEqual([]);
  });

  it('R8: the AE visits a distributor as often as agreed with the SM', () => {
    const withAe = cadencesFor(
      { kind: 'distributor', size: 'small', selected: false, ownerEmail: sm, aeVisits: { ae: 'ae@x.test', everyMonths: 2 } },
      rules,
    );
    expect(withAe.at(-1)).toEqual({ kind: 'ae-visit', assignee: 'ae@x.test', every: { months: 2 } });
  });
});

describe('calendar arithmetic', () => {
  it('month ends clamp: 31 January + 1 month is 28 February, or 29 in a leap year', () => {
    expect(after(at('2027-01-31T09:00:00Z'), { months: 1 }).toISOString()).toBe('2027-02-28T09:00:00.000Z');
    expect(after(at('2028-01-31T09:00:00Z'), { months: 1 }).toISOString()).toBe('2028-02-29T09:00:00.000Z');
    expect(after(at('2028-02-29T09:00:00Z'), { months: 12 }).toISOString()).toBe('2029-02-28T09:00:00.000Z');
  });

  it('quarters roll over the year: 30 November + 3 months is the end of February; 31 August + 6 months too', () => {
    expect(after(at('2026-11-30T09:00:00Z'), { months: 3 }).toISOString()).toBe('2027-02-28T09:00:00.000Z');
    expect(after(at('2027-11-30T09:00:00Z'), { months: 3 }).toISOString()).toBe('2028-02-29T09:00:00.000Z');
    expect(after(at('2026-08-31T09:00:00Z'), { months: 6 }).toISOString()).toBe('2027-02-28T09:00:00.000Z');
    expect(after(at('2026-12-28T09:00:00Z'), { days: 7 }).toISOString()).toBe('2027-01-04T09:00:00.000Z');
  });

  it('a month later is always in the next calendar month, never skipping one', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 24 }),
        (from, months) => {
          const next = after(from, { months });
          const monthsApart = (next.getUTCFullYear() - from.getUTCFullYear()) * 12 + next.getUTCMonth() - from.getUTCMonth();
          expect(monthsApart).toBe(months);
          expect(next.getUTCDate()).toBeLessThanOrEqual(from.getUTCDate());
        },
      ),
    );
  });
});

describe('logging a call or visit', () => {
  const account = { id: 'acc-1', name: 'Dist GmbH', createdAt: '2026-11-02T09:00:00.000Z' };
  const call = firstDue(account, { kind: 'sm-call', assignee: sm, every: { days: 7 } });
  const visit = firstDue(account, { kind: 'sm-visit', assignee: sm, every: { months: 3 } });
  const aeVisit = firstDue(account, { kind: 'ae-visit', assignee: 'ae@x.test', every: { months: 2 } });
  const due: DueContact[] = [call, visit, aeVisit];

  it('a new account is due at once', () => {
    expect(call.dueAt).toBe(account.createdAt);
  });

  it("a call completes the SM's call; a visit the visit of whoever made it; an email or note nothing", () => {
    expect(completedBy({ kind: 'call' }, sm, due)?.kind).toBe('sm-call');
    expect(completedBy({ kind: 'visit' }, sm, due)?.kind).toBe('sm-visit');
    expect(completedBy({ kind: 'visit' }, 'ae@x.test', due)?.kind).toBe('ae-visit');
    expect(completedBy({ kind: 'call' }, 'ae@x.test', due)).toBeUndefined();
    expect(completedBy({ kind: 'email' }, sm, due)).toBeUndefined();
  });

  it('the next one is due an interval after the day it happened, whether early or late', () => {
    expect(nextDue(call, '2026-10-30T15:00:00.000Z')!.dueAt).toBe('2026-11-06T15:00:00.000Z'); // early
    expect(nextDue(call, '2026-11-20T15:00:00.000Z')!.dueAt).toBe('2026-11-27T15:00:00.000Z'); // late
    const logged = nextDue(visit, '2026-11-30T10:00:00.000Z')!;
    expect(logged.dueAt).toBe('2027-02-28T10:00:00.000Z');
    // An older contact logged afterwards (a late entry) moves nothing.
    expect(nextDue(logged, '2026-11-10T10:00:00.000Z')).toBeUndefined();
  });

  it('overdue says by how many whole days', () => {
    expect(daysOverdue('2026-11-02T09:00:00.000Z', at('2026-11-02T08:59:00Z'))).toBe(0);
    expect(daysOverdue('2026-11-02T09:00:00.000Z', at('2026-11-03T08:59:00Z'))).toBe(0);
    expect(daysOverdue('2026-11-02T09:00:00.000Z', at('2026-11-03T09:00:00Z'))).toBe(1);
  });
});

describe('the digest', () => {
  const thing = (fields: Partial<DueContact> & Pick<DueContact, 'assignee' | 'kind' | 'dueAt'>): DueThing => ({
    itemType: 'due-contact',
    accountId: 'a',
    accountName: 'Acme',
    every: { days: 7 },
    ...fields,
  });

  it('one digest per person, most overdue first, and nobody with nothing due gets one', () => {
    const digests = digestsOf(
      [
        thing({ assignee: 'A@x.test', kind: 'sm-call', dueAt: '2026-11-20T00:00:00.000Z' }),
        thing({ assignee: 'b@x.test', kind: 'sm-visit', dueAt: '2026-11-21T00:00:00.000Z', agenda: ['Forecast'] }),
        thing({ assignee: 'a@x.test', kind: 'sm-visit', dueAt: '2026-11-01T00:00:00.000Z' }),
        {
          itemType: 'agenda-item',
          kind: 'equipment-check',
          assignee: 'a@x.test',
          dueAt: '2026-11-22T00:00:00.000Z',
          summary: 'Ask Acme',
          subject: { kind: 'order', id: 'o' },
        },
      ],
      at('2026-11-23T00:00:00Z'),
    );
    expect([...digests.keys()].sort()).toEqual(['a@x.test', 'b@x.test']);
    expect(digests.get('a@x.test')!.map((l) => l.overdueByDays)).toEqual([22, 3, 1]);
    const email = digestEmail('a@x.test', digests.get('a@x.test')!, 'id', {
      appBaseUrl: 'https://sales.example',
      webBaseUrl: 'https://www.sales.example',
    });
    expect(email.subject).toBe('Due from you: 2 calls or visits, 1 task');
    expect(email.text).toContain('Visit: Acme (due 2026-11-01, overdue by 22 days)');
    expect(email.text).toContain('Ask Acme (due 2026-11-22, overdue by 1 day)');
  });
});
