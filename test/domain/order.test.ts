import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderWelcomeLetter } from '#adapters/pdf-documents';
import type { Account } from '#domain/account';
import { daysOverdue } from '#domain/agenda';
import { Conflict, NotAllowed } from '#domain/errors';
import {
  checkOrderStep,
  equipmentCheckAnswer,
  followUpSchedule,
  followUpStates,
  type Order,
  orderRouting,
  orderTotal,
  packingChecklist,
  passwordProblem,
  placeOrder,
  postShipmentInput,
  shipDateProblem,
} from '#domain/order';
import { account } from '../fixtures/records';

const day = 86_400_000;
const distributor = account({
  id: 'dist-1',
  kind: 'distributor',
  name: 'Dist GmbH',
  size: 'large',
  contacts: [{ name: 'Dana', email: 'dana@dist.test' }],
});

const request = {
  accountId: 'acc-1',
  poNumber: 'PO-42',
  lines: [
    { sku: 'TX-200', description: 'Tester', quantity: 3, unitPrice: 0.1 },
    { sku: 'PR-1', description: 'Probe', quantity: 1, unitPrice: 0.2 },
  ],
  userContact: { name: 'Una', email: 'una@acme.test' },
  system: { model: 'TX-200', serialNumbers: ['SN-1'] },
};
const ids = { orderId: 'ord-1', registrationId: 'SR-1', entryId: 'e-1' };
const now = '2026-11-23T10:00:00.000Z';
const place = (customer = account(), dist?: Account) => placeOrder(customer, dist, request, ids, 'admin@x.test', now).order;

describe('who follows up an order (R23-R26)', () => {
  it('a W. Sales customer gets no post-shipment follow-ups, with or without a distributor', () => {
    expect(orderRouting(account({ servedBy: 'w-sales' })).followUps).toBe('none-served-by-w-sales');
    expect(orderRouting(account({ servedBy: 'w-sales', distributorId: 'dist-1' })).followUps).toBe('none-served-by-w-sales');
  });

  it('a customer served by a distributor is followed up through it; one bought direct, directly', () => {
    expect(orderRouting(account({ distributorId: 'dist-1' })).followUps).toBe('via-distributor');
    expect(orderRouting(account()).followUps).toBe('direct');
  });

  it('SF or standard comes from the account', () => {
    expect(orderRouting(account({ orderChannel: 'sf' })).channel).toBe('sf');
    expect(orderRouting(account()).channel).toBe('standard');
  });

  it('only customers place orders', () => {
    expect(() => place(distributor)).toThrow(Conflict);
  });
});

describe('order intake (R20-R24)', () => {
  it('totals in pence, so 3 x £0.10 + £0.20 is £0.50 exactly', () => {
    expect(orderTotal(request.lines)).toBe(0.5);
    fc.assert(
      fc.property(
        fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 1000 }), pence: fc.integer({ min: 0, max: 10_000_000 }) }), {
          minLength: 1,
          maxLength: 20,
        }),
        (lines) => {
          const total = orderTotal(lines.map((l) => ({ sku: 'A', description: 'B', quantity: l.quantity, unitPrice: l.pence / 100 })));
          expect(Math.round(total * 100)).toBe(lines.reduce((sum, l) => sum + l.quantity * l.pence, 0));
        },
      ),
    );
  });

  it('an SF order invites the user to set a website password; a standard one has no login', () => {
    expect(place(account({ orderChannel: 'sf' })).webLogin).toEqual({ username: 'una@acme.test', status: 'invited' });
    expect(place().webLogin).toBeUndefined();
  });

  it('Production packs the system information: a Welcome Letter for standard orders, the SF access card for SF ones', () => {
    const standard = place();
    expect(standard.packing.checklist).toContain('Serial numbers: SN-1');
    expect(standard.packing.checklist.at(-1)).toMatch(/Welcome Letter/);
    expect(packingChecklist(place(account({ orderChannel: 'sf' }))).at(-1)).toMatch(/SF website access card/);
  });

  it('the Welcome Letter is a PDF that carries the thanks, the contacts, website access and the SM signature', async () => {
    const pdf = await renderWelcomeLetter(place(), { support: 'support@x.test', website: 'https://customers.x.test' }, now);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const again = await renderWelcomeLetter(place(), { support: 'support@x.test', website: 'https://customers.x.test' }, now);
    expect(Buffer.from(again).equals(Buffer.from(pdf))).toBe(true); // deterministic: the same order, the same bytes
  });
});

describe('shipment dates', () => {
  const at = new Date(now);
  it('today and exactly a year back are fine; the future and beyond a year are not', () => {
    expect(shipDateProblem(at, at)).toBeUndefined();
    expect(shipDateProblem(new Date(at.getTime() - 365 * day), at)).toBeUndefined();
    expect(shipDateProblem(new Date(at.getTime() - 365 * day - 1), at)).toMatch(/year/);
    expect(shipDateProblem(new Date(at.getTime() + 2 * 60_000), at)).toMatch(/future/);
  });

  it('the follow-ups are dated from the ship date: day 14, and between day 60 and day 90', () => {
    const schedule = followUpSchedule('2026-01-31T09:00:00.000Z', orderRouting(account({ distributorId: 'd' })));
    expect(schedule.deliveryCheck.dueAt).toBe('2026-02-14T09:00:00.000Z');
    expect(schedule.smReminder.dueAt).toBe('2026-02-14T09:00:00.000Z');
    expect(schedule.equipmentCheck).toMatchObject({ dueFrom: '2026-04-01T09:00:00.000Z', dueBy: '2026-05-01T09:00:00.000Z' });
  });

  it('a direct customer has no distributor to ask; a W. Sales one has nothing at all', () => {
    const direct = followUpSchedule(now, orderRouting(account()));
    expect(direct.deliveryCheck.status).toBe('not-applicable');
    expect(direct.smReminder.status).toBe('scheduled');
    const wSales = followUpSchedule(now, orderRouting(account({ servedBy: 'w-sales' })));
    expect(Object.values(wSales).map((f) => f.status)).toEqual(['not-applicable', 'not-applicable', 'not-applicable']);
    expect(postShipmentInput({ id: 'o', routing: orderRouting(account({ servedBy: 'w-sales' })) }, wSales).servedByWSales).toBe(true);
  });

  it('GET /orders says scheduled, due or overdue by the clock, and done once answered', () => {
    const schedule = followUpSchedule('2026-01-01T00:00:00.000Z', orderRouting(account()));
    const on = (date: string) => followUpStates(schedule, new Date(date))!;
    expect(on('2026-01-14T23:59:59.000Z').smReminder).toBe('scheduled');
    expect(on('2026-01-15T00:00:00.000Z').smReminder).toBe('due');
    expect(on('2026-03-01T23:59:59.000Z').equipmentCheck).toBe('scheduled');
    expect(on('2026-03-02T00:00:00.000Z').equipmentCheck).toBe('due');
    expect(on('2026-04-01T00:00:00.000Z').equipmentCheck).toBe('due');
    expect(on('2026-04-01T00:00:00.001Z').equipmentCheck).toBe('overdue');
    const answered = { ...schedule, equipmentCheck: { ...schedule.equipmentCheck, status: 'yes' as const } };
    expect(followUpStates(answered, new Date('2026-06-01T00:00:00.000Z'))!.equipmentCheck).toBe('done');
    expect(daysOverdue('2026-04-01T00:00:00.000Z', new Date('2026-04-03T12:00:00.000Z'))).toBe(2);
    expect(daysOverdue('2026-04-01T00:00:00.000Z', new Date('2026-03-03T12:00:00.000Z'))).toBe(0);
  });
});

describe('the steps on an order', () => {
  const shipped = (): Order => {
    const order = place();
    return {
      ...order,
      followUps: followUpSchedule('2026-09-01T00:00:00.000Z', order.routing),
      tasks: { 'equipment-check': { task: 'equipment-check', assignee: 'sm@x.test', actionId: 'a', askedAt: now, dueBy: now } },
    };
  };

  it('Sales Admin reviews the contract; Production or Sales Admin packs; only the owning SM answers the equipment check', () => {
    const order = shipped();
    expect(() => checkOrderStep(order, 'contract-review', { email: 'p@x.test', roles: ['Production'] })).toThrow(NotAllowed);
    expect(() => checkOrderStep(order, 'contract-review', { email: 'a@x.test', roles: ['SalesAdmin'] })).not.toThrow();
    expect(() => checkOrderStep(order, 'packing', { email: 'p@x.test', roles: ['Production'] })).not.toThrow();
    expect(() => checkOrderStep(order, 'equipment-check', { email: 'other.sm@x.test', roles: ['SalesManager'] })).toThrow(NotAllowed);
    expect(() => checkOrderStep(order, 'equipment-check', { email: 'sm@x.test', roles: ['SalesManager'] })).not.toThrow();
  });

  it('a step done already, or never opened, is a conflict', () => {
    const order = { ...shipped(), contractReview: { status: 'done' as const }, tasks: {} };
    expect(() => checkOrderStep(order, 'contract-review', { email: 'a@x.test', roles: ['SalesAdmin'] })).toThrow(Conflict);
    expect(() => checkOrderStep(order, 'equipment-check', { email: 'sm@x.test', roles: ['SalesManager'] })).toThrow(Conflict);
    expect(() => checkOrderStep(order, 'corrective-action', { email: 'sm@x.test', roles: ['SalesManager'] })).toThrow(Conflict);
  });

  it('R26: a check left unanswered after the escalations can still be answered late by the SM', () => {
    const order = shipped();
    const unanswered = {
      ...order,
      tasks: {},
      followUps: { ...order.followUps!, equipmentCheck: { ...order.followUps!.equipmentCheck, status: 'unanswered' as const } },
    };
    expect(() => checkOrderStep(unanswered, 'equipment-check', { email: 'sm@x.test', roles: ['SalesManager'] })).not.toThrow();
    const answeredAlready = {
      ...unanswered,
      followUps: { ...unanswered.followUps, equipmentCheck: { ...unanswered.followUps.equipmentCheck, status: 'yes' as const } },
    };
    expect(() => checkOrderStep(answeredAlready, 'equipment-check', { email: 'sm@x.test', roles: ['SalesManager'] })).toThrow(Conflict);
  });

  it('"no" opens a corrective action with the problem; "yes" opens none', () => {
    const no = equipmentCheckAnswer(shipped(), { ok: false, notes: 'Drifts' }, 'sm@x.test', now);
    expect(no.changes.correctiveAction).toMatchObject({ status: 'open', problem: 'Drifts', openedBy: 'sm@x.test' });
    expect(no.changes.followUps!.equipmentCheck.status).toBe('no');
    const yes = equipmentCheckAnswer(shipped(), { ok: true }, 'sm@x.test', now);
    expect(yes.changes.correctiveAction).toBeUndefined();
    expect(yes.summary).toMatch(/pleased to be of service/);
  });

  it('a password is at least 12 characters and not the username', () => {
    expect(passwordProblem('elevenchars', 'una@acme.test')).toMatch(/12/);
    expect(passwordProblem('twelve chars', 'una@acme.test')).toBeUndefined();
    expect(passwordProblem('my name is una ok', 'una@acme.test')).toMatch(/username/);
  });
});
