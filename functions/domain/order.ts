import { money } from '#domain/money';
import type { Account, Contact } from './account';
import type { AgendaItem } from './agenda';
import { Conflict, NotAllowed } from './errors';
import type { FromQuote } from './order-from-quote';
import { type Caller, hasAnyRole, type Role } from './roles';
import type { TimelineEntry } from './timeline';

/**
 * R20-R26: an order from the PO (or signed contract) to the "is your equipment operating OK?"
 * call. Pure rules; `functions/orders` records them and `statemachines/post-shipment.asl.json`
 * runs the follow-ups after shipment.
 */

export interface OrderLine {
  sku: string;
  description: string;
  quantity: number;
  unitPrice: number;
}

export interface OrderRequest {
  accountId: string;
  opportunityId?: string;
  poNumber: string;
  lines: OrderLine[];
  /** R21: the person who will use the equipment, for the support registration. */
  userContact: Contact;
  /** What is known of the system: model and serial numbers, for support and for packing. */
  system?: { model?: string; serialNumbers?: string[] };
}

/**
 * How an order travels, from its customer: SF or standard (R23/R24), and who the post-shipment
 * follow-ups talk to (R25/R26). Customers served by W. Sales get none: the chart is explicit.
 */
export interface OrderRouting {
  channel: Account['orderChannel'];
  followUps: 'none-served-by-w-sales' | 'via-distributor' | 'direct';
}

export const orderRouting = (customer: Pick<Account, 'orderChannel' | 'servedBy' | 'distributorId'>): OrderRouting => ({
  channel: customer.orderChannel,
  followUps: customer.servedBy === 'w-sales' ? 'none-served-by-w-sales' : customer.distributorId ? 'via-distributor' : 'direct',
});

/** The follow-ups after shipment, and their state. */
export interface FollowUps {
  /** R25: ship date + 14 days, the distributor asked "everything received in good order?". */
  deliveryCheck: { dueAt: string; status: 'scheduled' | 'asked' | 'answered' | 'not-applicable'; answer?: DeliveryAnswer };
  /** R25: the SM reminded to contact the customer, same day. */
  smReminder: { dueAt: string; status: 'scheduled' | 'sent' | 'not-applicable' };
  /** R26: between 2 and 3 months, "is your equipment operating OK?". */
  equipmentCheck: {
    dueFrom: string;
    dueBy: string;
    status: 'scheduled' | 'asked' | 'yes' | 'no' | 'unanswered' | 'not-applicable';
    answeredBy?: string;
    answeredAt?: string;
    notes?: string;
  };
}

export interface DeliveryAnswer {
  allReceived: boolean;
  notes?: string;
  by: string;
  at: string;
}

export interface CorrectiveAction {
  status: 'open' | 'closed';
  openedAt: string;
  openedBy: string;
  problem: string;
  closedAt?: string;
  closedBy?: string;
  resolution?: string;
}

export interface Order {
  id: string;
  accountId: string;
  opportunityId?: string;
  poNumber: string;
  lines: OrderLine[];
  /** The net total: the signed quote's when the order matches it, else the lines' sum. */
  totalGbp: number;
  /** The signed quote the order was built from, and how and why it departs from it. */
  fromQuote?: FromQuote;
  customer: { name: string; contact?: Contact };
  userContact: Contact;
  system?: OrderRequest['system'];
  /** The SM who owns the account. */
  owner: string;
  routing: OrderRouting;
  distributor?: { id: string; name: string; contact?: Contact };
  /** R21: the customer's support registration (HEAT's role), and its copy on the service desk. */
  support: { registrationId: string; registeredAt: string; serviceDesk: 'not-configured' | 'queued' | 'synced' | 'failed' };
  /** R22: Sales Admin's contract review, on their agenda until done. */
  contractReview: { status: 'open' | 'done'; by?: string; at?: string };
  /** R23: standard orders only. */
  welcomeLetter?: { filename: string; sha256: string; status: 'with-production' | 'printed-and-packed'; by?: string; at?: string };
  /** R24: SF orders only; the password is set by the customer through a one-time link, never sent. */
  webLogin?: { username: string; status: 'invited' | 'password-set'; setAt?: string };
  /** R23/R24: what Production packs with the product. */
  packing: { checklist: string[]; status: 'to-pack' | 'packed'; by?: string; at?: string };
  shipment?: { shippedAt: string; carrier?: string; tracking?: string; recordedBy: string; executionArn: string };
  followUps?: FollowUps;
  correctiveAction?: CorrectiveAction;
  /** The shipment was recorded but its workflow did not start: recording it again retries. */
  followUpsNotStarted?: { at: string; error: string };
  /** Set when the workflow skipped the follow-ups (W. Sales). */
  postShipment?: string;
  /** A workflow step failed after its retries. */
  failure?: { at: string; error: string };
  tasks: Record<string, { task: string; assignee: string; actionId: string; askedAt: string; dueBy: string }>;
  escalations: Record<string, number>;
  status: 'received' | 'shipped';
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Issue 13: prices are the sales side's. Whoever reads an order only to pack, ship or support it
 * (Production, Engineering) gets it without prices: no unit prices, no total, and no amounts in
 * its timeline's words.
 */
export const readsPrices = (roles: readonly Role[]): boolean => roles.some((role) => priceReaders.includes(role));
const priceReaders: readonly Role[] = ['SalesManager', 'SalesAdmin', 'ManagingDirector'];

export const withoutPrices = <T extends { lines: OrderLine[]; totalGbp?: number; fromQuote?: FromQuote; timeline?: TimelineEntry[] }>(
  view: T,
) => {
  const { totalGbp: _total, ...rest } = view;
  return {
    ...rest,
    lines: view.lines.map(({ unitPrice: _price, ...line }) => line),
    ...(view.fromQuote
      ? {
          fromQuote: (({ quoted: _quoted, ...kept }: FromQuote) => ({
            ...kept,
            differences: kept.differences.map((difference) => difference.replace(amounts, 'an amount')),
          }))(view.fromQuote),
        }
      : {}),
    ...(view.timeline
      ? {
          timeline: view.timeline.map(({ detail: _detail, ...entry }) => ({
            ...entry,
            summary: entry.summary.replace(amounts, 'an amount'),
          })),
        }
      : {}),
  };
};
/** An amount as the money formatter writes it (£18,050.30), or as older entries did (£18050.3). */
const amounts = /£\s?\d[\d,]*(?:\.\d+)?/g;

const pence = (gbp: number) => Math.round(gbp * 100);

export const orderTotal = (lines: readonly OrderLine[]): number =>
  lines.reduce((sum, line) => sum + pence(line.unitPrice) * line.quantity, 0) / 100;

/** R23/R24: the system-specific information Production packs with every order. */
export const packingChecklist = (order: Pick<Order, 'routing' | 'system' | 'lines'>): string[] => [
  ...order.lines.map((line) => `${line.quantity} x ${line.sku}: configuration sheet and test certificate`),
  ...(order.system?.serialNumbers?.length ? [`Serial numbers: ${order.system.serialNumbers.join(', ')}`] : []),
  'Installation guide and safety information',
  order.routing.channel === 'sf'
    ? 'SF website access card (login is sent to SF Customer Support)'
    : 'Printed Welcome Letter, signed by the SM',
];

/** R20-R24: Sales Admin enters the PO; what it sets going. */
export const placeOrder = (
  customer: Account,
  distributor: Account | undefined,
  request: OrderRequest,
  ids: { orderId: string; registrationId: string; entryId: string },
  by: string,
  now: string,
  fromQuote?: FromQuote,
): { order: Order; entry: TimelineEntry } => {
  if (customer.kind !== 'customer') throw new Conflict(`Account ${customer.id} is a ${customer.kind}; orders come from customers`);
  const routing = orderRouting(customer);
  const base = {
    id: ids.orderId,
    accountId: customer.id,
    ...(request.opportunityId ? { opportunityId: request.opportunityId } : {}),
    poNumber: request.poNumber,
    lines: request.lines,
    // What the customer signed for, to the penny, unless the order departs from it.
    totalGbp: fromQuote && fromQuote.differences.length === 0 ? fromQuote.quoted.netGbp : orderTotal(request.lines),
    ...(fromQuote ? { fromQuote } : {}),
    customer: { name: customer.name, ...(customer.contacts[0] ? { contact: customer.contacts[0] } : {}) },
    userContact: request.userContact,
    ...(request.system ? { system: request.system } : {}),
    owner: customer.ownerEmail,
    routing,
    ...(distributor
      ? {
          distributor: {
            id: distributor.id,
            name: distributor.name,
            ...(distributor.contacts[0] ? { contact: distributor.contacts[0] } : {}),
          },
        }
      : {}),
  };
  const order: Order = {
    ...base,
    support: { registrationId: ids.registrationId, registeredAt: now, serviceDesk: 'not-configured' },
    contractReview: { status: 'open' },
    ...(routing.channel === 'sf' ? { webLogin: { username: request.userContact.email, status: 'invited' as const } } : {}),
    packing: { checklist: packingChecklist({ routing, system: request.system, lines: request.lines }), status: 'to-pack' },
    tasks: {},
    escalations: {},
    status: 'received',
    createdBy: by,
    createdAt: now,
    updatedAt: now,
  };
  return {
    order,
    entry: {
      id: ids.entryId,
      at: now,
      actor: by,
      kind: 'order-received',
      channel: 'internal',
      summary: `PO ${order.poNumber} received: ${money(order.totalGbp)} (${routing.channel === 'sf' ? 'SF order' : 'standard order'}); support registration ${ids.registrationId}${fromQuoteWords(fromQuote)}`,
      detail: {
        orderId: order.id,
        channel: routing.channel,
        followUps: routing.followUps,
        ...(fromQuote ? { quoteId: fromQuote.quoteId, differences: fromQuote.differences.length } : {}),
      },
    },
  };
};

const fromQuoteWords = (fromQuote: FromQuote | undefined) =>
  !fromQuote
    ? ''
    : fromQuote.differences.length === 0
      ? `; as quote ${fromQuote.number}`
      : `; from quote ${fromQuote.number} with ${fromQuote.differences.length} difference${fromQuote.differences.length === 1 ? '' : 's'}: ${fromQuote.reason}`;

// ---- shipment and the follow-ups --------------------------------------------------------------

const day = 24 * 60 * 60 * 1000;

/** A ship date in the future, or more than a year back, is a mistake. */
export const shipDateProblem = (shippedAt: Date, now: Date): string | undefined => {
  if (shippedAt.getTime() > now.getTime() + 60_000) return 'must not be in the future';
  if (shippedAt.getTime() < now.getTime() - 365 * day) return 'must not be more than a year ago';
  return undefined;
};

/** R25/R26: the follow-ups' dates, all from the ship date, so a back-dated shipment behaves. */
export const followUpSchedule = (shippedAt: string, routing: OrderRouting): FollowUps => {
  const at = (days: number) => new Date(Date.parse(shippedAt) + days * day).toISOString();
  const none = routing.followUps === 'none-served-by-w-sales';
  return {
    deliveryCheck: { dueAt: at(14), status: none || routing.followUps === 'direct' ? 'not-applicable' : 'scheduled' },
    smReminder: { dueAt: at(14), status: none ? 'not-applicable' : 'scheduled' },
    equipmentCheck: { dueFrom: at(60), dueBy: at(90), status: none ? 'not-applicable' : 'scheduled' },
  };
};

/** The post-shipment workflow's input: ids, the routing and the dates. */
export const postShipmentInput = (order: Pick<Order, 'id' | 'routing'>, followUps: FollowUps) => ({
  orderId: order.id,
  servedByWSales: order.routing.followUps === 'none-served-by-w-sales',
  viaDistributor: order.routing.followUps === 'via-distributor',
  schedule: {
    deliveryCheckAt: followUps.deliveryCheck.dueAt,
    equipmentCheckFrom: followUps.equipmentCheck.dueFrom,
  },
});

export type FollowUpState = 'done' | 'due' | 'overdue' | 'scheduled' | 'not-applicable';

/** What GET /orders/{id} says of each follow-up now. */
export const followUpStates = (followUps: FollowUps | undefined, now: Date): Record<keyof FollowUps, FollowUpState> | undefined => {
  if (!followUps) return undefined;
  const t = now.toISOString();
  const state = (status: string, doneWhen: string[], dueFrom: string, overdueAfter: string): FollowUpState =>
    status === 'not-applicable'
      ? 'not-applicable'
      : doneWhen.includes(status)
        ? 'done'
        : t > overdueAfter
          ? 'overdue'
          : t >= dueFrom
            ? 'due'
            : 'scheduled';
  const { deliveryCheck, smReminder, equipmentCheck } = followUps;
  const grace = (iso: string) => new Date(Date.parse(iso) + 2 * day).toISOString();
  return {
    deliveryCheck: state(deliveryCheck.status, ['asked', 'answered'], deliveryCheck.dueAt, grace(deliveryCheck.dueAt)),
    smReminder: state(smReminder.status, ['sent'], smReminder.dueAt, grace(smReminder.dueAt)),
    equipmentCheck: state(equipmentCheck.status, ['yes', 'no'], equipmentCheck.dueFrom, equipmentCheck.dueBy),
  };
};

/** R26: the SM's answer. "No" opens corrective action, which stays on the agenda until closed. */
export const equipmentCheckAnswer = (
  order: Order,
  answer: { ok: boolean; notes?: string },
  by: string,
  now: string,
): { changes: Partial<Order>; summary: string } => {
  if (!order.followUps) throw new Conflict(`Order ${order.id} has not shipped`);
  const equipmentCheck = {
    ...order.followUps.equipmentCheck,
    status: answer.ok ? ('yes' as const) : ('no' as const),
    answeredBy: by,
    answeredAt: now,
    ...(answer.notes ? { notes: answer.notes } : {}),
  };
  return {
    changes: {
      followUps: { ...order.followUps, equipmentCheck },
      ...(answer.ok
        ? {}
        : {
            correctiveAction: {
              status: 'open' as const,
              openedAt: now,
              openedBy: by,
              problem: answer.notes ?? 'Equipment not operating OK',
            },
          }),
    },
    summary: answer.ok
      ? 'Is your equipment operating OK? Yes: pleased to be of service!'
      : `Is your equipment operating OK? No: corrective action opened${answer.notes ? `: ${answer.notes}` : ''}`,
  };
};

// ---- the steps people take on an order --------------------------------------------------------

export const orderSteps = ['contract-review', 'packing', 'equipment-check', 'corrective-action'] as const;
export type OrderStep = (typeof orderSteps)[number];

/** What each step asks, as people read it (R22, R23/R24, R26; the ids stay out of the words). */
export const orderStepAsks: Record<OrderStep, string> = {
  'contract-review': 'Review the contract',
  packing: 'Print and pack the Welcome Letter and system information',
  'equipment-check': 'Is your equipment operating OK?',
  'corrective-action': 'Close the corrective action',
};

/**
 * Who may complete which step, and whether it is still open: a person outside the step is a 403,
 * a step already done (or not yet asked) a 409.
 */
export const checkOrderStep = (order: Order, task: OrderStep, caller: Caller): void => {
  const allowed: Record<OrderStep, boolean> = {
    'contract-review': hasAnyRole(caller, ['SalesAdmin']),
    packing: hasAnyRole(caller, ['Production', 'SalesAdmin']),
    'equipment-check': caller.email === order.owner,
    'corrective-action': caller.email === order.owner || hasAnyRole(caller, ['SalesAdmin', 'Engineering']),
  };
  if (!allowed[task]) throw new NotAllowed(`${orderStepAsks[task]} is not yours to do on order ${order.id}`);
  const open: Record<OrderStep, boolean> = {
    'contract-review': order.contractReview.status === 'open',
    packing: order.packing.status === 'to-pack',
    // Asked and waiting, or left unanswered after the escalations (the SM may still answer late).
    'equipment-check': Boolean(order.tasks['equipment-check']) || order.followUps?.equipmentCheck.status === 'unanswered',
    'corrective-action': order.correctiveAction?.status === 'open',
  };
  if (!open[task]) throw new Conflict(`${orderStepAsks[task]}: not open on order ${order.id}`);
};

const day14 = (from: string) => new Date(Date.parse(from) + 14 * day).toISOString();

/** R22: Sales Admin reviews the contract within two weeks of the PO. */
export const contractReviewItem = (order: Order, salesAdmin: string): AgendaItem => ({
  kind: 'contract-review',
  assignee: salesAdmin,
  dueAt: day14(order.createdAt),
  summary: `Review the contract of PO ${order.poNumber} (${order.customer.name})`,
  subject: { kind: 'order', id: order.id },
});

/** R23/R24: Production's work list: the order to pack, within a week of the PO. */
export const packingItem = (order: Order, production: string): AgendaItem => ({
  kind: 'packing',
  assignee: production,
  dueAt: new Date(Date.parse(order.createdAt) + 7 * day).toISOString(),
  summary: `Pack PO ${order.poNumber} (${order.customer.name})`,
  subject: { kind: 'order', id: order.id },
});

/** Packed: the order waits on Production's list to ship, within two days. */
export const shipmentItem = (order: Order, production: string, packedAt: string): AgendaItem => ({
  kind: 'shipment',
  assignee: production,
  dueAt: new Date(Date.parse(packedAt) + 2 * day).toISOString(),
  summary: `Ship PO ${order.poNumber} (${order.customer.name})`,
  subject: { kind: 'order', id: order.id },
});

/** R26: the SM's call, due by three months after shipment. */
export const equipmentCheckItem = (order: Order): AgendaItem => ({
  kind: 'equipment-check',
  assignee: order.owner,
  dueAt: order.followUps!.equipmentCheck.dueBy,
  summary: `Ask ${order.customer.name}: is your equipment operating OK? (PO ${order.poNumber})`,
  subject: { kind: 'order', id: order.id },
});

/** R26 "no": on the SM's agenda until closed; a week to a first resolution. */
export const correctiveActionItem = (order: Order, openedAt: string): AgendaItem => ({
  kind: 'corrective-action',
  assignee: order.owner,
  dueAt: new Date(Date.parse(openedAt) + 7 * day).toISOString(),
  summary: `Corrective action for ${order.customer.name} (PO ${order.poNumber})`,
  subject: { kind: 'order', id: order.id },
});

/** How long the links of an order stay good. */
export const orderLinkValidDays = { deliveryCheck: 30, equipmentCheck: 45, setPassword: 14 } as const;

/** R24: the customer's own password; we keep only its scrypt hash. */
export const passwordProblem = (password: string, username: string): string | undefined => {
  if (password.length < 12) return 'must be at least 12 characters';
  if (password.toLowerCase().includes(username.split('@')[0]!.toLowerCase())) return 'must not contain your username';
  return undefined;
};

/** R23: the Welcome Letter's file name, as Production receives it. */
export const welcomeLetterFilename = (order: Pick<Order, 'poNumber'>) =>
  `welcome-letter-${order.poNumber.replace(/[^A-Za-z0-9-]/g, '_')}.pdf`;
