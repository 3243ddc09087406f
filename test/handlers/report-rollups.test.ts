import { describe, expect, it } from 'vitest';
import { foldOf } from '#functions/reports/rollups';

/** Which deal a stream record folds into, before any read: the filter lets through more than it counts. */
describe('the rollups worker: which records count', () => {
  it('a lead, an opportunity and a campaign are deals of their own', () => {
    expect(foldOf({ pk: 'LEAD#l1', sk: 'LEAD' }, { itemType: 'lead', id: 'l1' })?.dealPk).toBe('LEAD#l1');
    expect(foldOf({ pk: 'OPP#o1', sk: 'OPP' }, { itemType: 'opportunity', id: 'o1' })?.dealPk).toBe('OPP#o1');
    expect(foldOf({ pk: 'CAMPAIGN#c1', sk: 'CAMPAIGN' }, { itemType: 'campaign', id: 'c1' })?.dealPk).toBe('CAMPAIGN#c1');
  });

  it("a quote and an order fold into their opportunity's deal; an order without one is its own", () => {
    expect(foldOf({ pk: 'QUOTE#q1', sk: 'QUOTE' }, { itemType: 'quote', id: 'q1', opportunityId: 'o1' })?.dealPk).toBe('OPP#o1');
    expect(foldOf({ pk: 'ORDER#r1', sk: 'ORDER' }, { itemType: 'order', id: 'r1', opportunityId: 'o1' })?.dealPk).toBe('OPP#o1');
    expect(foldOf({ pk: 'ORDER#r2', sk: 'ORDER' }, { itemType: 'order', id: 'r2' })?.dealPk).toBe('ORDER#r2');
  });

  it('a deleted lead or opportunity still finds its deal (its keys are all a removal carries)', () => {
    expect(foldOf({ pk: 'LEAD#l1', sk: 'LEAD' }, undefined)?.dealPk).toBe('LEAD#l1');
    expect(foldOf({ pk: 'OPP#o1', sk: 'OPP' }, undefined)?.dealPk).toBe('OPP#o1');
  });

  it('items that only share a sort key are not counted: a duplicate mark, a campaign lead, another kind', () => {
    expect(foldOf({ pk: 'DUPE#EMAIL#abc', sk: 'LEAD' }, { itemType: 'duplicate-mark', id: 'l1' })).toBeUndefined();
    expect(foldOf({ pk: 'LEAD#l1', sk: 'LEAD' }, { itemType: 'something-else', id: 'l1' })).toBeUndefined();
    expect(foldOf({ pk: 'CAMPAIGN#c1#LEADS', sk: 'CAMPAIGN' }, { itemType: 'campaign' })).toBeUndefined();
    expect(foldOf({ pk: 'LEAD#l1', sk: 'EMAIL#e1' }, { itemType: 'email' })).toBeUndefined();
  });
});
