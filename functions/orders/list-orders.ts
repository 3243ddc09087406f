import { orderListQuery } from '#contract/lists';
import { type Order, readsPrices } from '#domain/order';
import { endOfDay, listRoute } from '#http/lists';

/** Orders by status and ship date, newest first; without prices for whoever reads no prices. */
export const listOrders = listRoute('order', {
  route: 'GET /orders',
  query: orderListQuery,
  owner: 'owner',
  filter: (query) => [
    { path: 'status', op: '=', value: query.status },
    { path: 'shipment.shippedAt', op: '>=', value: query.shippedFrom },
    { path: 'shipment.shippedAt', op: '<=', value: endOfDay(query.shippedTo) },
  ],
  row: (order: Order, caller) => ({
    id: order.id,
    poNumber: order.poNumber,
    customer: order.customer.name,
    accountId: order.accountId,
    opportunityId: order.opportunityId,
    owner: order.owner,
    status: order.status,
    ...(readsPrices(caller.roles) ? { totalGbp: order.totalGbp } : {}),
    shippedAt: order.shipment?.shippedAt,
    createdAt: order.createdAt,
  }),
});
