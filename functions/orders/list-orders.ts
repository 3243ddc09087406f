import { fromItem } from '#adapters/sales-records';
import { orderListQuery } from '#contract/lists';
import { type Order, readsPrices } from '#domain/order';
import { apiRoute, json } from '#http/api';
import { attributeFilter, endOfDay, listPage } from '#http/lists';
import { readRule } from '#http/read-rule';

/** Orders by status and ship date, newest first; without prices for whoever reads no prices. */
export const listOrders = apiRoute({ route: 'GET /orders', query: orderListQuery }, async ({ query, caller, actOn, actsOnAny }) => {
  if (query.owner) await actOn(query.owner, `The orders of ${query.owner}`);
  const mayRead = readRule(caller!);
  const prices = readsPrices(caller!.roles);
  const page = await listPage('order', query, {
    filter: attributeFilter([
      { path: 'status', op: '=', value: query.status },
      { path: 'owner', op: '=', value: query.owner },
      { path: 'shipment.shippedAt', op: '>=', value: query.shippedFrom },
      { path: 'shipment.shippedAt', op: '<=', value: endOfDay(query.shippedTo) },
    ]),
    keep: actsOnAny || query.owner ? undefined : (item) => mayRead('GET /orders/{id}', String(item.owner)),
  });
  return json(200, {
    orders: page.items.map((item) => {
      const order = fromItem<Order>(item);
      return {
        id: order.id,
        poNumber: order.poNumber,
        customer: order.customer.name,
        accountId: order.accountId,
        opportunityId: order.opportunityId,
        owner: order.owner,
        status: order.status,
        ...(prices ? { totalGbp: order.totalGbp } : {}),
        shippedAt: order.shipment?.shippedAt,
        createdAt: order.createdAt,
      };
    }),
    nextCursor: page.nextCursor,
  });
});
