import { randomUUID } from 'node:crypto';
import type { Role } from '#domain/roles';
import { findRoute, type RouteGroup, routeGroups } from '#functions/routes';
import { schedules } from '#functions/schedules';
import { mailFeedback, workers } from '#functions/workers';
import { workflows } from '#functions/workflows';
import { apiGatewayEvent } from '../infra/local/api-event';
import { localSub } from '../infra/local/auth';
import { leadBody } from './latency';

/**
 * Every Lambda the stack deploys, read from the same tables, each with the event of its cold start.
 * An API function starts on its main write route with a body the route accepts and, where the web
 * page or form sends one, an Idempotency-Key: validation, the key and the transaction all run, and
 * the answer must be 2xx (bench/cold-init refuses the run otherwise). Of the others, the schedules
 * start on their tick, the quote steps compose a real quote's PDF, mail delivery sends a queued
 * email, the order steps make a shipped order's two-week check and mail feedback takes a bounce;
 * only the service desk sync still gets a record that is not there (locally it has no desk to post
 * to): not yet its real path.
 */
export interface BenchLambda {
  name: string;
  entry: string;
  /** An API function's cold-start route, e.g. "POST /leads"; none for the others. */
  route?: string;
  /** Whether that request carries an Idempotency-Key. */
  keyed?: boolean;
  /** What its cold start serves, in a few words for the report. */
  startsOn: string;
  /** A start that throws refuses the run (an API function's must also answer 2xx). */
  mustSucceed: boolean;
  /** What its result must say, where a start that found nothing to do would answer alike. */
  didItsWork?: RegExp;
  /** The event of one cold start: a fresh one each round (a new key, a new address, its own record). */
  event: (round: number, ground: Groundwork) => unknown;
}

/**
 * The records the write routes act on, made through the local API before the cold starts
 * (bench/groundwork): one of each per round where a route may act on a record only once.
 */
export interface Groundwork {
  tag: string;
  /** Leads to log a note on. */
  leads: string[];
  /** Opportunities for Engineering to review (once each). */
  toReview: string[];
  /** Opportunities to quote on. */
  toQuote: string[];
  /** A customer of the UK SM's, to order for. */
  customer: string;
  /** The tokens of emailed "Prepare the quote" links, one per round (each works once). */
  prepareQuoteLinks: string[];
  /** Addresses that made a lead, to erase (GDPR art. 17). */
  toErase: string[];
  /** Quotes to compose the document of (the quote steps' PDF). */
  toCompose: string[];
  /** Queued emails, each as the stream would name it to the mail delivery function. */
  toDeliver: { pk: string; sk: string }[];
  /** Orders shipped today, their two-week check still to come. */
  shipped: string[];
}

/** The local stack's people (infra/process-settings.ts), as their Cognito claims reach a handler. */
export const benchPeople = {
  sm: 'sm.uk@salesflow.example',
  salesAdmin: 'sales.admin@salesflow.example',
  engineering: 'engineering@salesflow.example',
  marketing: 'marketing@salesflow.example',
  dataProtection: 'data.protection@salesflow.example',
  production: 'production@salesflow.example',
} as const;

const claims = (email: string, roles: Role[]) => ({
  sub: localSub(email),
  email,
  email_verified: 'true',
  'cognito:groups': `[${roles.join(' ')}]`,
});

/** A request as API Gateway hands it to the route's function. */
export const routeEvent = (
  key: string,
  options: {
    ids?: Record<string, string>;
    body?: unknown;
    as?: { email: string; roles: Role[] };
    idempotencyKey?: string;
    /** A body sent as it is (a CSV file), with its own content type. */
    raw?: { contentType: string; body: string };
    query?: string;
  } = {},
) => {
  const route = findRoute(key);
  if (!route) throw new Error(`bench: no route ${key}`);
  const ids = options.ids ?? {};
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name] ?? `{${name}}`));
  return apiGatewayEvent({
    method: route.method,
    routeKey: key,
    path,
    pathParameters: ids,
    ...(options.query ? { rawQueryString: options.query } : {}),
    headers: {
      'content-type': options.raw?.contentType ?? 'application/json',
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    },
    ...(options.raw ? { body: options.raw.body } : options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    ...(options.as ? { claims: claims(options.as.email, options.as.roles) } : {}),
  });
};

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Each route group's main write route, with what a person sends on it. The platform and agenda
 * functions have no write route: their cold start is their one read.
 */
const mainRoutes: Record<string, { route: string; keyed: boolean; event: (round: number, ground: Groundwork) => unknown }> = {
  platform: { route: 'GET /health', keyed: false, event: () => routeEvent('GET /health') },
  // The lead form always sends a key (web/assets/pages/lead-form.js).
  leads: {
    route: 'POST /leads',
    keyed: true,
    event: (round, { tag }) =>
      routeEvent('POST /leads', { body: leadBody(`${tag}cold${randomUUID().slice(0, 8)}`, round), idempotencyKey: randomUUID() }),
  },
  opportunities: {
    route: 'POST /opportunities/{id}/engineering-review',
    keyed: true,
    event: (round, ground) =>
      routeEvent('POST /opportunities/{id}/engineering-review', {
        ids: { id: ground.toReview[round]! },
        body: { recommendation: 'proceed', advice: 'The standard fixture fits; no changes needed.', customerContact: 'none' },
        as: { email: benchPeople.engineering, roles: ['Engineering'] },
        idempotencyKey: randomUUID(),
      }),
  },
  activities: {
    route: 'POST /leads/{id}/activities',
    keyed: false,
    event: (round, ground) =>
      routeEvent('POST /leads/{id}/activities', {
        ids: { id: ground.leads[round]! },
        body: { kind: 'note', summary: 'Called back: wants a demo next month' },
        as: { email: benchPeople.salesAdmin, roles: ['SalesAdmin'] },
      }),
  },
  quotes: {
    route: 'POST /opportunities/{id}/quotes',
    keyed: true,
    event: (round, ground) =>
      routeEvent('POST /opportunities/{id}/quotes', {
        ids: { id: ground.toQuote[round]! },
        body: quoteBody(),
        as: { email: benchPeople.sm, roles: ['SalesManager'] },
        idempotencyKey: randomUUID(),
      }),
  },
  // The link's own page posts without a key: the link itself works once.
  actions: {
    route: 'POST /actions/{token}',
    keyed: false,
    event: (round, ground) =>
      routeEvent('POST /actions/{token}', {
        ids: { token: ground.prepareQuoteLinks[round]! },
        body: { paymentTerms: '30 days net', deliveryTerms: 'Ex works, 6 weeks' },
      }),
  },
  accounts: {
    route: 'POST /accounts',
    keyed: true,
    event: (round, { tag }) =>
      routeEvent('POST /accounts', {
        body: {
          kind: 'customer',
          name: `Cold ${tag} ${round} ${randomUUID().slice(0, 8)} Ltd`,
          ownerEmail: benchPeople.sm,
          contacts: [{ name: 'Paula Purchasing', email: `buyer.${randomUUID().slice(0, 8)}@customer.test` }],
        },
        as: { email: benchPeople.salesAdmin, roles: ['SalesAdmin'] },
        idempotencyKey: randomUUID(),
      }),
  },
  orders: {
    route: 'POST /orders',
    keyed: true,
    event: (round, ground) =>
      routeEvent('POST /orders', {
        body: {
          accountId: ground.customer,
          poNumber: `PO-${ground.tag}-${round}-${randomUUID().slice(0, 8)}`,
          lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 1, unitPrice: 24_000 }],
          userContact: { name: 'Uma User', email: `user.${randomUUID().slice(0, 8)}@customer.test` },
        },
        as: { email: benchPeople.salesAdmin, roles: ['SalesAdmin'] },
        idempotencyKey: randomUUID(),
      }),
  },
  people: {
    route: 'POST /people/{email}/erasure',
    keyed: false,
    event: (round, ground) =>
      routeEvent('POST /people/{email}/erasure', {
        ids: { email: ground.toErase[round]! },
        body: { reason: 'Asked by email to be forgotten' },
        as: { email: benchPeople.dataProtection, roles: ['DataProtection'] },
      }),
  },
  agenda: {
    route: 'GET /agenda',
    keyed: false,
    event: () => routeEvent('GET /agenda', { as: { email: benchPeople.sm, roles: ['SalesManager'] } }),
  },
  // A CRM's export of a few contacts, as the import page sends it: stored, then made by the worker.
  imports: {
    route: 'POST /imports',
    keyed: false,
    event: (round, { tag }) =>
      routeEvent('POST /imports', {
        raw: {
          contentType: 'text/csv',
          body: `Company;Contact;E-mail;Country\r\nCold ${tag} ${round} GmbH;Ida Import;ida.${tag}.${round}.${randomUUID().slice(0, 8)}@import.example;DE\r\n`,
        },
        as: { email: benchPeople.salesAdmin, roles: ['SalesAdmin'] },
      }),
  },
  // Reads only: the export streams the caller's leads, the report reads its rollups.
  exports: {
    route: 'GET /exports/{file}',
    keyed: false,
    event: () => routeEvent('GET /exports/{file}', { ids: { file: 'leads.csv' }, as: { email: benchPeople.sm, roles: ['SalesManager'] } }),
  },
  reports: {
    route: 'GET /reports/{name}',
    keyed: false,
    event: () => routeEvent('GET /reports/{name}', { ids: { name: 'conversion' }, as: { email: benchPeople.sm, roles: ['SalesManager'] } }),
  },
  marketing: {
    route: 'POST /campaigns',
    keyed: false,
    event: (round, { tag }) =>
      routeEvent('POST /campaigns', {
        body: { kind: 'trade-show', name: `Cold ${tag} ${round} ${randomUUID().slice(0, 8)}`, startsOn: today() },
        as: { email: benchPeople.marketing, roles: ['Marketing'] },
      }),
  },
};

/** A quote within the standard limits (no QPA): the SM's request as the quote form sends it. */
export const quoteBody = () => ({
  lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 2, unitPriceGbp: 12_000, discountPercent: 0 }],
  proposalSummary: 'Two inline testers replace the bench',
});

const streamEvent = (itemType: string) => () => ({
  Records: [
    {
      eventName: 'INSERT',
      dynamodb: {
        Keys: { pk: { S: `BENCH#${randomUUID()}` }, sk: { S: 'EMAIL#x' } },
        NewImage: { itemType: { S: itemType }, orderId: { S: randomUUID() } },
        SequenceNumber: '1',
      },
    },
  ],
});

export const benchLambdas = (): BenchLambda[] => [
  ...(Object.entries(routeGroups) as [RouteGroup, { entry: string }][]).map(([group, { entry }]) => {
    // A new route group needs its main route named here, or its cold start would measure nothing real.
    const main = mainRoutes[group];
    if (!main) throw new Error(`bench: no main route for the ${group} function in bench/lambdas.ts`);
    return { name: `${group} API`, entry, ...main, startsOn: main.route, mustSucceed: true };
  }),
  // Not yet their real path: a stream record or a step about a record that is not there.
  // A queued email, as the stream names it: read, claimed, sent through SES, marked sent.
  {
    name: 'mail delivery',
    entry: workers.mailDelivery.entry,
    event: (round, ground) => {
      const { pk, sk } = ground.toDeliver[round]!;
      return {
        Records: [
          {
            eventName: 'INSERT',
            dynamodb: {
              Keys: { pk: { S: pk }, sk: { S: sk } },
              NewImage: { pk: { S: pk }, sk: { S: sk }, itemType: { S: 'email' } },
              SequenceNumber: `${round + 1}`,
            },
          },
        ],
      };
    },
    startsOn: 'a queued email, sent',
    mustSucceed: true,
  },
  {
    name: 'service desk sync',
    entry: workers.serviceDeskSync.entry,
    event: streamEvent('service-desk-sync'),
    startsOn: 'a stream record of an order that is not there',
    mustSucceed: false,
  },
  // The heaviest step, on a real quote: the quote and proposal rendered as one PDF and stored.
  {
    name: 'quote steps',
    entry: workflows['quote-approval'].functions.QuoteSteps,
    event: (round, ground) => ({ step: 'compose', quoteId: ground.toCompose[round]! }),
    startsOn: "compose: a real quote's PDF, stored",
    mustSucceed: true,
  },
  // R25 on a shipped order: the SM reminded (an outbox email) and the order's follow-ups moved on.
  {
    name: 'order steps',
    entry: workflows['post-shipment'].functions.OrderSteps,
    event: (round, ground) => ({ step: 'two-week-check', orderId: ground.shipped[round]! }),
    startsOn: 'the two-week check of a shipped order',
    mustSucceed: true,
    didItsWork: /"done":"done"/,
  },
  // A schedule's event is its real trigger: the tick.
  ...Object.entries(schedules).map(([name, schedule]) => ({
    name,
    entry: schedule.entry,
    event: () => ({ schedule: name, tick: new Date().toISOString() }),
    startsOn: 'its scheduled tick',
    mustSucceed: true,
  })),
  // A permanent bounce: the address is taken off bulk mail, one write.
  {
    name: 'mail feedback',
    entry: mailFeedback.entry,
    event: () => ({
      Records: [
        {
          Sns: {
            Message: JSON.stringify({
              eventType: 'Bounce',
              bounce: {
                bounceType: 'Permanent',
                bouncedRecipients: [{ emailAddress: `bounced.${randomUUID().slice(0, 8)}@customer.test` }],
              },
              mail: { timestamp: new Date().toISOString() },
            }),
            Timestamp: new Date().toISOString(),
          },
        },
      ],
    }),
    startsOn: 'a permanent bounce',
    mustSucceed: true,
  },
];
