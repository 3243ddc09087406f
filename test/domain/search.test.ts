import { describe, expect, it } from 'vitest';
import { refiledTermPuts } from '#adapters/search-records';
import type { Lead } from '#domain/lead';
import type { Quote } from '#domain/quote';
import { findableLead, findableQuote, normalise } from '#domain/search';

describe('search terms', () => {
  it('normalise: accents and case go, so "mul" finds "Müller"', () => {
    expect(normalise('Müller GmbH')).toBe('muller gmbh');
    expect(normalise('  Ångström  & Søn ')).toBe('angstrom søn'.normalize('NFD').replace(/\p{M}/gu, ''));
    expect(normalise('Straße')).toBe('strasse');
    expect(normalise('ANN@Acme.TEST')).toBe('ann@acme.test');
  });

  it("a lead is found by its company, the person's name from any word, the address and its domain", () => {
    const lead = {
      id: 'l1',
      owner: 'sm.uk@salesflow.example',
      contact: { name: 'Jürgen Müller', email: 'J.Mueller@Bottling.example', company: 'Bottling Co Ltd' },
    } as Lead;
    expect(findableLead(lead).terms).toEqual([
      'bottling co ltd',
      'co ltd',
      'ltd',
      'jurgen muller',
      'muller',
      'j.mueller@bottling.example',
      'bottling.example',
    ]);
  });

  it('a quote by its number as typed and without the Q', () => {
    const quote = {
      id: 'q1',
      number: 'Q-2026-0042',
      owner: 'x',
      customer: { name: 'Ann', email: 'a@b.example', company: 'Acme' },
    } as Quote;
    expect(findableQuote(quote).terms.slice(0, 2)).toEqual(['q-2026-0042', '2026-0042']);
  });
});

describe('terms after an edit', () => {
  it('the new terms take the first slots; the slots left over are put back empty, off the index', () => {
    process.env.SALESFLOW_TABLE_NAME ??= 'salesflow';
    const before = findableLead({
      id: 'l1',
      owner: 'x',
      contact: { name: 'Ann Lee Smith', email: 'ann@acme.example', company: 'Acme Tools Ltd' },
    } as Lead);
    const after = findableLead({
      id: 'l1',
      owner: 'x',
      contact: { name: 'Ann Lee Smith', email: 'ann@acme.example', company: 'Zeta' },
    } as Lead);
    const puts = refiledTermPuts(before, after).map(({ Put }) => Put.Item);
    expect(puts).toHaveLength(before.terms.length);
    expect(puts[0]).toMatchObject({ sk: 'FIND#0', gsi4pk: 'FIND#ze', gsi4sk: 'zeta#lead#l1' });
    expect(puts.at(-1)).toEqual({ pk: 'LEAD#l1', sk: `FIND#${before.terms.length - 1}`, itemType: 'find-term' });
  });
});
