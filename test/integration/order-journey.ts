import { expect } from 'vitest';
import { eventually, type SentEmail, type StackClient, uniqueEmail } from './local-stack';

export { linkIn } from './local-stack';

/**
 * The people of an order's journey, as the local stack's defaults name them
 * (infra/process-settings.ts), and the steps they take over HTTP.
 */
export const orderPeople = {
  sm: 'sm.uk@salesflow.example',
  salesAdmin: 'sales.admin@salesflow.example',
  production: 'production@salesflow.example',
  sfSupport: 'sf.support@salesflow.example',
  support: 'support@salesflow.example',
  engineering: 'engineering@salesflow.example',
  salesDirector: 'sales.director@salesflow.example',
};

const day = 24 * 60 * 60 * 1000;
export const daysAgo = (days: number) => new Date(Date.now() - days * day).toISOString();

export const orderJourney = (client: StackClient) => {
  const { api, tokenFor, sentEmails } = client;
  const admin = () => tokenFor(orderPeople.salesAdmin, 'SalesAdmin');

  const account = async (fields: Record<string, unknown>) => {
    const created = await api('POST', '/accounts', { body: fields, token: await admin() });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };

  /**
   * A customer of the UK SM's, with a name no other test uses, optionally served by a
   * distributor of its own; and the PO it will order with.
   */
  const customer = async (
    options: {
      servedBy?: 'direct' | 'w-sales';
      orderChannel?: 'standard' | 'sf';
      viaDistributor?: boolean;
      label?: string;
      name?: string;
    } = {},
  ) => {
    const tag = Math.random().toString(36).slice(2, 8);
    const name = options.name ?? `${options.label ? `${options.label} ` : ''}Order Test ${tag} Ltd`;
    const distributorEmail = uniqueEmail('distributor');
    const distributorId = options.viaDistributor
      ? await account({
          kind: 'distributor',
          name: `Distributor ${tag} GmbH`,
          ownerEmail: orderPeople.sm,
          size: 'large',
          contacts: [{ name: 'Dana Distributor', email: distributorEmail }],
        })
      : undefined;
    const accountId = await account({
      kind: 'customer',
      name,
      ownerEmail: orderPeople.sm,
      servedBy: options.servedBy ?? 'direct',
      orderChannel: options.orderChannel ?? 'standard',
      ...(distributorId ? { distributorId } : {}),
      contacts: [{ name: 'Paula Purchasing', email: uniqueEmail('purchasing') }],
    });
    const user = { name: 'Una User', email: uniqueEmail('user') };
    return { accountId, name, distributorEmail, user, po: `PO-${tag.toUpperCase()}` };
  };

  const order = async (buyer: Awaited<ReturnType<typeof customer>>, extra: Record<string, unknown> = {}) => {
    const placed = await api('POST', '/orders', {
      body: {
        accountId: buyer.accountId,
        poNumber: buyer.po,
        lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 2, unitPrice: 12_500 }],
        userContact: buyer.user,
        system: { model: 'TX-200', serialNumbers: ['SN-1001', 'SN-1002'] },
        ...extra,
      },
      token: await admin(),
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    return placed.body.id as string;
  };

  const ship = async (orderId: string, shippedAt: string) => {
    const shipped = await api('POST', `/orders/${orderId}/shipment`, {
      body: { shippedAt, carrier: 'DHL', tracking: 'JD0001' },
      token: await tokenFor(orderPeople.production, 'Production'),
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(202);
    return shipped.body as { orderId: string; executionArn: string };
  };

  const getOrder = async (orderId: string) => {
    const found = await api('GET', `/orders/${orderId}`, { token: await admin() });
    expect(found.status).toBe(200);
    return found.body;
  };

  /** Emails to `to` whose subject matches. */
  const emailsTo = async (to: string, subject: RegExp): Promise<SentEmail[]> =>
    (await sentEmails()).filter((email) => email.destination.to.some((address) => address.includes(to)) && subject.test(email.subject));

  const emailTo = (to: string, subject: RegExp, within = 20_000) => eventually(async () => (await emailsTo(to, subject)).at(-1), within);

  const agendaOf = async (email: string, ...roles: Parameters<typeof tokenFor>[1][]) => {
    const answer = await api('GET', '/agenda', { token: await tokenFor(email, ...roles) });
    expect(answer.status).toBe(200);
    return answer.body.items as { kind: string; subject: { id: string }; overdueByDays: number }[];
  };

  /** A person's step on an order (contract review, packing, equipment check, corrective action). */
  const completeOrderStep = (orderId: string, step: string, body: unknown, token: string) =>
    api('POST', `/orders/${orderId}/steps/${step}`, { body, token });

  return { account, customer, order, ship, getOrder, emailsTo, emailTo, agendaOf, admin, completeOrderStep };
};
