import { describe, expect, it } from 'vitest';
import { indexKeys } from '#adapters/table-design';

/**
 * The index keys stored items carry and queries read: written out as literal strings, so a change
 * to how table-design composes them shows here before it leaves existing items unfindable.
 */
describe('index keys', () => {
  const at = '2026-03-04T05:06:07.000Z';

  it('a lead: by status (gsi1) and among its owner’s leads (gsi2, the owner in lower case)', () => {
    const lead = { status: 'suspect', owner: 'Ann.Sales@Example.com', createdAt: at, id: 'L1' };
    expect(indexKeys.leadsByStatus(lead)).toEqual({ gsi1pk: 'LEADS#suspect', gsi1sk: '2026-03-04T05:06:07.000Z#L1' });
    expect(indexKeys.ownersLeads(lead)).toEqual({
      gsi2pk: 'OWNER#ann.sales@example.com',
      gsi2sk: 'LEAD#suspect#2026-03-04T05:06:07.000Z#L1',
    });
  });

  it('an opportunity among its owner’s', () => {
    expect(indexKeys.ownersOpportunities({ status: 'open', owner: 'ann@example.com', createdAt: at, id: 'O1' })).toEqual({
      gsi2pk: 'OWNER#ann@example.com',
      gsi2sk: 'OPP#open#2026-03-04T05:06:07.000Z#O1',
    });
  });

  it('a distributor by size', () => {
    expect(indexKeys.distributorsBySize({ size: 'large', id: 'A1' })).toEqual({ gsi2pk: 'DISTRIBUTORS', gsi2sk: 'large#A1' });
  });

  it('an open agenda item in its assignee’s agenda', () => {
    expect(indexKeys.openAgenda({ assignee: 'Bob@Example.com', dueAt: at, subject: { id: 'ORD1' }, kind: 'welcome' })).toEqual({
      gsi2pk: 'OWNER#bob@example.com',
      gsi2sk: 'TODO#open#2026-03-04T05:06:07.000Z#ORD1#welcome',
    });
  });

  it('an order among its opportunity’s', () => {
    expect(indexKeys.opportunityOrders('O1', { createdAt: at, id: 'ORD1' })).toEqual({
      gsi1pk: 'ORDERS#O1',
      gsi1sk: '2026-03-04T05:06:07.000Z#ORD1',
    });
  });
});
