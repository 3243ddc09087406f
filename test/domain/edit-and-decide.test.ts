import { describe, expect, it } from 'vitest';
import { closeOpportunity, merge, reassign, wonByOrder } from '#domain/decisions';
import { companyOfLead, plainCompany, possibleDuplicates } from '#domain/duplicates';
import { changesOf, checkVersion, editEntry, nextVersion, patched } from '#domain/edit';
import { Conflict } from '#domain/errors';
import type { Lead } from '#domain/lead';
import type { Opportunity } from '#domain/opportunity';

const links = { appBaseUrl: 'https://api.example', webBaseUrl: 'https://app.example' };
const at = '2026-12-02T10:00:00.000Z';

const lead = (over: Partial<Lead> = {}): Lead => ({
  id: 'lead-1',
  channel: 'phone',
  source: 'prior-contact',
  contact: { name: 'Ann', email: 'ann@acme.test', company: 'Acme Ltd', country: 'GB' },
  literature: [],
  status: 'suspect',
  owner: 'sm.uk@salesflow.example',
  createdAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
  ...over,
});

describe('an edit', () => {
  it('names each field it changes, from what to what; null clears; a nested object is patched field by field', () => {
    const before = lead({ contact: { name: 'Ann', email: 'ann@acme.test', company: 'Acme Ltd', phone: '+44 1', country: 'GB' } });
    const patch = { contact: { email: 'ann.b@acme.test', phone: null, name: 'Ann' } };
    expect(changesOf(before, patch)).toEqual([
      { field: 'contact.email', from: 'ann@acme.test', to: 'ann.b@acme.test' },
      { field: 'contact.phone', from: '+44 1', to: null },
    ]);
    expect(patched(before, patch).contact).toEqual({ name: 'Ann', email: 'ann.b@acme.test', company: 'Acme Ltd', country: 'GB' });
    expect(editEntry(changesOf(before, patch), 'sm@x', at, 'e1').summary).toBe(
      'Changed contact email from ann@acme.test to ann.b@acme.test; contact phone from +44 1 to (none)',
    );
  });

  it('must be made on the version read; the next version is always later', () => {
    const record = lead();
    expect(() => checkVersion(record, `"${record.updatedAt}"`, 'Lead')).not.toThrow();
    expect(() => checkVersion(record, '2026-01-01T00:00:00.000Z', 'Lead')).toThrow(Conflict);
    expect(nextVersion(at, at)).toBe('2026-12-02T10:00:00.001Z');
    expect(nextVersion('2026-01-01T00:00:00.000Z', at)).toBe(at);
  });
});

describe('decisions', () => {
  it('a reassignment emails both SMs and refuses giving a record to its owner', () => {
    const { entry, emails } = reassign(
      { kind: 'lead', id: 'l', name: 'Acme Ltd', owner: 'a@x' },
      'b@x',
      'boss@x',
      'Territory',
      { entryId: 'e', emailIds: ['m1', 'm2'] },
      at,
      links,
    );
    expect(entry).toMatchObject({ kind: 'reassigned', detail: { from: 'a@x', to: 'b@x', reason: 'Territory' } });
    expect(emails.map((e) => [e.to, e.subject])).toEqual([
      [['a@x'], 'No longer yours: Acme Ltd'],
      [['b@x'], 'Now yours: Acme Ltd'],
    ]);
    expect(() =>
      reassign(
        { kind: 'lead', id: 'l', name: 'Acme', owner: 'A@x' },
        'a@x',
        'boss@x',
        undefined,
        { entryId: 'e', emailIds: ['1', '2'] },
        at,
        links,
      ),
    ).toThrow(Conflict);
  });

  it('a merge is of a suspect into another open lead, never into itself or twice', () => {
    const into = lead({ id: 'keep' });
    const done = merge(lead({ id: 'gone' }), into, 'sm@x', ['e1', 'e2'], at);
    expect(done.merged).toMatchObject({ status: 'merged', mergedInto: 'keep' });
    expect(done.into.mergedFrom).toEqual(['gone']);
    expect(() => merge(into, into, 'sm@x', ['e1', 'e2'], at)).toThrow(/itself/);
    expect(() => merge(done.merged, into, 'sm@x', ['e1', 'e2'], at)).toThrow(/merged into/);
    expect(() => merge(lead({ id: 'p', status: 'prospect' }), into, 'sm@x', ['e1', 'e2'], at)).toThrow(/only a suspect/);
  });

  it('an opportunity closes once; an order wins it only while open', () => {
    const opportunity = { id: 'o', status: 'prospect', updatedAt: at, createdAt: at } as Opportunity;
    const lost = closeOpportunity(opportunity, { outcome: 'lost', reason: 'Price', competitor: 'Rival' }, 'sm@x', 'e', at);
    expect(lost.opportunity).toMatchObject({ status: 'lost', closed: { outcome: 'lost', competitor: 'Rival', by: 'sm@x' } });
    expect(() => closeOpportunity(lost.opportunity, { outcome: 'won', reason: 'x' }, 'sm@x', 'e', at)).toThrow(Conflict);
    expect(wonByOrder(opportunity, { id: 'ord', poNumber: 'PO-1' }, 'admin@x', 'e', at)?.opportunity.status).toBe('won');
    expect(wonByOrder(lost.opportunity, { id: 'ord', poNumber: 'PO-1' }, 'admin@x', 'e', at)).toBeUndefined();
  });
});

describe('possible duplicates', () => {
  it('a company is the same whatever its case, accents, punctuation and legal form', () => {
    expect(plainCompany('ACME Ltd.')).toBe(plainCompany('Acme Limited'));
    expect(plainCompany('Müller & Söhne GmbH')).toBe('muller and sohne');
    expect(companyOfLead('Acme Ltd', 'gb')).toBe('acme|GB');
  });

  it('counts markers within the window, newest first, each record once, never the lead itself', () => {
    const mark = (id: string, at: string, kind: 'lead' | 'account' = 'lead') => ({ kind, id, name: id, at });
    const found = possibleDuplicates(
      [
        { mark: mark('old', '2025-01-01T00:00:00.000Z'), match: 'company' },
        { mark: mark('a', '2026-11-01T00:00:00.000Z'), match: 'email' },
        { mark: mark('a', '2026-11-01T00:00:00.000Z'), match: 'company' },
        { mark: mark('self', '2026-12-02T09:00:00.000Z'), match: 'email' },
        { mark: mark('acct', '2026-11-20T00:00:00.000Z', 'account'), match: 'company' },
      ],
      365,
      at,
      'self',
    );
    expect(found).toEqual([
      { kind: 'account', id: 'acct', match: 'company', name: 'acct' },
      { kind: 'lead', id: 'a', match: 'email', name: 'a' },
    ]);
  });
});
