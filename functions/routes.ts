import { roles as allRoles, type Role } from '#domain/roles';

/**
 * The one route table. The CDK stack builds API Gateway routes, authorizers and throttling from
 * it; the local API server matches requests with it; each group's handler dispatches on it.
 * Pure data: importing it pulls in no handler code.
 */

/** One Lambda function per group; `entry` is its handler module. */
export const routeGroups = {
  platform: { entry: 'functions/platform/index.ts', description: 'Health and the OpenAPI document' },
  leads: { entry: 'functions/leads/index.ts', description: 'R3-R5, R9: lead intake, lists and qualification' },
  opportunities: { entry: 'functions/opportunities/index.ts', description: 'R10: opportunities, engineering review and the pipeline' },
  activities: { entry: 'functions/activities/index.ts', description: 'R6-R8, R11, R12, R18, R27: logged calls and visits' },
  quotes: { entry: 'functions/quotes/index.ts', description: 'R13-R19: quotes, their steps, formal contracts' },
  actions: { entry: 'functions/actions/index.ts', description: 'R28: the signed links emailed to people' },
  accounts: { entry: 'functions/accounts/index.ts', description: 'R6-R8, R20: customers and distributors' },
  orders: { entry: 'functions/orders/index.ts', description: 'R20-R26: orders, shipment, their steps' },
  agenda: {
    entry: 'functions/agenda/index.ts',
    description: "R22, R26: a person's open items; finding records by what people remember of them",
  },
  marketing: { entry: 'functions/marketing/index.ts', description: 'R1, R2: campaigns, material to distributors, unsubscribe' },
  people: { entry: 'functions/people/index.ts', description: "GDPR: a person's data exported or erased" },
  imports: { entry: 'functions/imports/index.ts', description: "Contacts and companies from another CRM's CSV export" },
  exports: { entry: 'functions/exports/index.ts', description: 'Leads, opportunities, accounts, orders and quotes as CSV' },
  reports: {
    entry: 'functions/reports/index.ts',
    description:
      "Sales operations' figures from the rollups: pipeline, conversion, win rate, quote cycle, forecast, campaigns, after shipment",
  },
} as const;

export type RouteGroup = keyof typeof routeGroups;

/**
 * The access policy, one entry per route, beside it: who may call it at all (`roles`; a signed-in
 * person with no group may call nothing), and which of those roles may act only on records they
 * own (`ownRecords`: the record's owner, the owner's managers in the people directory, the MD).
 * `record` says whose owner counts; `step` says the person a step names decides (the domain
 * checks it). The handlers read it through `input.actOn`, and test/integration/access-matrix
 * generates its cases from it.
 */
export type OwnedRecord = 'lead' | 'opportunity' | 'quote' | 'account' | 'order' | 'task' | 'owner-asked';
export type Access =
  | { public: true }
  | {
      public: false;
      roles: readonly Role[];
      ownRecords?: readonly Role[];
      record?: OwnedRecord;
      step?: true;
      /** The `ownRecords` roles act only as the owner's managers, not as the owner (a reassignment). */
      managersOnly?: true;
    };

export interface Route {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  group: RouteGroup;
  access: Access;
  summary: string;
  /**
   * Requests per second and burst, for public routes that anyone on the internet can hit; and
   * `perClient`, the same for each client IP, so one client cannot use up the route's share
   * (locally the gateway enforces it; on AWS a WAF rate-based rule in front of the API).
   */
  throttle?: { rate: number; burst: number; perClient: { rate: number; burst: number } };
  /** The body may also arrive as an HTML form post (application/x-www-form-urlencoded). */
  acceptsForm?: boolean;
  /** Creates a record whose id an `Idempotency-Key` header names (functions/http/idempotency). */
  keyed?: boolean;
  /**
   * Deprecated: an old path kept for the callers that still use it, answered by the same handler
   * with the same access as the route named here, which the docs and /openapi.json list instead.
   */
  aliasOf?: string;
}

const anyone: Access = { public: true };
/** Everyone with a role: their own agenda, their own steps. */
const internal: Access = { public: false, roles: allRoles };
const only = (...roles: Role[]): Access => ({ public: false, roles });
/** A step on a record: anyone with a role may try; the step names who it is for. */
const stepOwner: Access = { public: false, roles: allRoles, step: true };
/**
 * Sales managers act on their own records (and their reports'); the other roles listed act on any.
 * The MD and the sales director act on any through the directory (they manage every SM).
 */
const owned = (record: OwnedRecord, ...anyRecord: Role[]): Access => ({
  public: false,
  roles: ['SalesManager', 'ManagingDirector', ...anyRecord],
  ownRecords: ['SalesManager'],
  record,
});

/**
 * Whose a record is: its owner's managers decide (the sales director for an SM), and the MD; an SM
 * may not give their own records away. A route of its own rather than an owner field in the edit,
 * so the rule stands in this table, in /openapi.json and in the access matrix like every other.
 */
const managers = (record: OwnedRecord): Access => ({
  public: false,
  roles: ['SalesManager', 'ManagingDirector'],
  ownRecords: ['SalesManager'],
  record,
  managersOnly: true,
});

const routeList = [
  { method: 'GET', path: '/health', group: 'platform', access: anyone, summary: 'The stack can reach its table' },
  { method: 'GET', path: '/openapi.json', group: 'platform', access: anyone, summary: 'This API as OpenAPI 3' },
  {
    method: 'POST',
    path: '/leads',
    keyed: true,
    group: 'leads',
    access: anyone,
    summary: 'R3/R4: record a customer response as a lead, respond to the customer, advise the owning SM',
    throttle: { rate: 20, burst: 40, perClient: { rate: 5, burst: 30 } },
    acceptsForm: true,
  },
  {
    method: 'GET',
    path: '/leads',
    group: 'leads',
    access: owned('owner-asked', 'SalesAdmin'),
    summary: "Leads by status or owner, newest first (an SM's own, or their reports')",
  },
  {
    method: 'GET',
    path: '/search',
    group: 'agenda',
    // Every hit passes its own record's read rule (its GET route's), so an SM finds their own and their reports' records only.
    access: only('SalesManager', 'ManagingDirector', 'SalesAdmin', 'Engineering', 'ApplicationEngineer', 'Production'),
    summary:
      'Leads, opportunities, accounts, quotes and orders by the start of a company, name, email, PO or quote number (accents ignored): at most 20, each one the caller may read',
  },
  { method: 'GET', path: '/leads/{id}', group: 'leads', access: owned('lead', 'SalesAdmin'), summary: 'A lead with its timeline' },
  {
    method: 'GET',
    path: '/people/{email}/data',
    group: 'people',
    access: only('ManagingDirector', 'DataProtection'),
    summary: 'GDPR art. 15/20: everything held about a person, as JSON (by the person index, not a scan)',
  },
  {
    method: 'POST',
    path: '/people/{email}/erasure',
    group: 'people',
    access: only('ManagingDirector', 'DataProtection'),
    summary:
      'GDPR art. 17: erase a person: leads and emails deleted, quotes and orders kept with a reference; recorded without the personal data',
  },
  {
    method: 'POST',
    path: '/leads/{id}/qualification',
    group: 'leads',
    access: owned('lead'),
    summary: 'R9/R10: qualify a suspect into a prospect with an opportunity',
  },
  {
    method: 'GET',
    path: '/opportunities',
    group: 'opportunities',
    access: owned('owner-asked', 'SalesAdmin', 'Engineering', 'ApplicationEngineer'),
    summary: "Opportunities by stage, owner, estimated value and date, newest first, a page at a time (an SM's own and their reports')",
  },
  {
    method: 'GET',
    path: '/opportunities/{id}',
    group: 'opportunities',
    access: owned('opportunity', 'SalesAdmin', 'Engineering', 'ApplicationEngineer'),
    summary: 'An opportunity with its timeline',
  },
  {
    method: 'GET',
    path: '/pipeline',
    group: 'opportunities',
    access: owned('owner-asked', 'SalesAdmin'),
    summary: "An SM's suspects, prospects, quotes and orders by stage, with counts and values (the caller's unless owner is given)",
  },
  {
    method: 'POST',
    path: '/opportunities/{id}/engineering-review',
    group: 'opportunities',
    access: only('Engineering'),
    summary: "R10: Engineering's advice to the SM",
  },
  {
    method: 'POST',
    path: '/leads/{id}/activities',
    group: 'activities',
    access: owned('lead', 'SalesAdmin'),
    summary: 'R12, R27: log a call, visit, email, note or training on a lead',
  },
  {
    method: 'POST',
    path: '/opportunities/{id}/activities',
    group: 'activities',
    // R11: the AE calls and visits with the SM; Production and Marketing have nothing to log here (R18).
    access: owned('opportunity', 'SalesAdmin', 'ApplicationEngineer'),
    summary: 'R11, R12, R18, R27: log a call, visit, email, note or training on an opportunity',
  },
  {
    method: 'POST',
    path: '/accounts/{id}/activities',
    group: 'activities',
    access: owned('account', 'SalesAdmin', 'ApplicationEngineer'),
    summary: 'R6-R8, R27: log a call, visit or training on an account; a call or visit completes the one due',
  },
  {
    method: 'POST',
    path: '/orders/{id}/activities',
    group: 'activities',
    access: owned('order', 'SalesAdmin', 'Production', 'Engineering'),
    summary: 'R25-R27: log a call, visit, email or note on an order',
  },
  {
    method: 'POST',
    path: '/opportunities/{id}/quotes',
    keyed: true,
    group: 'quotes',
    access: owned('opportunity'),
    summary: 'R13/R14: define a quote and start the quote-approval workflow',
  },
  {
    method: 'GET',
    path: '/quotes',
    group: 'quotes',
    access: owned('owner-asked', 'SalesAdmin', 'ApplicationEngineer', 'Engineering'),
    summary: "Quotes by status, owner and date, newest first, a page at a time (an SM's own and their reports')",
  },
  {
    method: 'GET',
    path: '/quotes/{id}',
    group: 'quotes',
    access: owned('quote', 'SalesAdmin', 'ApplicationEngineer', 'Engineering'),
    summary: 'Where a quote stands: steps, approvals, document, signature',
  },
  {
    method: 'GET',
    path: '/quotes/{id}/document',
    group: 'quotes',
    access: owned('quote', 'SalesAdmin', 'ApplicationEngineer', 'Engineering'),
    summary: 'R17: the quote document as it stands (application/pdf), for the SM to read before signing it',
  },
  {
    method: 'POST',
    path: '/quotes/{id}/steps/{step}',
    group: 'quotes',
    access: stepOwner,
    summary: "R15-R17, R19: complete a person's step on a quote (the person or role it belongs to)",
  },
  {
    method: 'POST',
    path: '/quotes/{id}/tasks/{task}',
    group: 'quotes',
    access: stepOwner,
    aliasOf: 'POST /quotes/{id}/steps/{step}',
    summary: "Deprecated alias of POST /quotes/{id}/steps/{step}: complete a person's step on a quote",
  },
  {
    method: 'POST',
    path: '/opportunities/{id}/contract',
    group: 'quotes',
    access: owned('opportunity'),
    summary: 'R19: a formal contract, to the MD for negotiation and approval',
  },
  {
    method: 'GET',
    path: '/products',
    group: 'quotes',
    // R14: whoever sets out or prepares a quote reads the price list.
    access: only('SalesManager', 'SalesAdmin', 'ManagingDirector'),
    summary: 'The price list: the products quote lines are picked from, by SKU',
  },
  {
    method: 'POST',
    path: '/products',
    group: 'quotes',
    access: only('SalesAdmin'),
    summary: 'Add a product to the price list, or change it: the SKU names it (201 new, 200 changed)',
  },
  {
    method: 'POST',
    path: '/accounts',
    group: 'accounts',
    access: owned('owner-asked', 'SalesAdmin'),
    summary: 'A customer or distributor, with its owning SM',
  },
  {
    method: 'GET',
    path: '/accounts',
    group: 'accounts',
    access: owned('owner-asked', 'SalesAdmin', 'Production', 'ApplicationEngineer'),
    summary: "Customers and distributors by kind and owner, newest first, a page at a time (an SM's own and their reports')",
  },
  {
    method: 'GET',
    path: '/accounts/{id}',
    group: 'accounts',
    access: owned('account', 'SalesAdmin', 'Production', 'ApplicationEngineer'),
    summary: 'An account with its timeline',
  },
  {
    method: 'POST',
    path: '/orders',
    keyed: true,
    group: 'orders',
    access: only('SalesAdmin'),
    summary: 'R20-R24: a PO or signed contract: support registration, acknowledgement, Welcome Letter or SF login',
  },
  {
    method: 'GET',
    path: '/orders',
    group: 'orders',
    access: owned('owner-asked', 'SalesAdmin', 'Production', 'Engineering'),
    summary:
      "Orders by status, ship date, owner and date, newest first, a page at a time (an SM's own and their reports'; without prices for Production and Engineering)",
  },
  {
    method: 'GET',
    path: '/orders/{id}',
    group: 'orders',
    access: owned('order', 'SalesAdmin', 'Production', 'Engineering'),
    summary: 'An order with its support registration, letters, follow-ups and timeline',
  },
  {
    method: 'GET',
    path: '/orders/{id}/welcome-letter',
    group: 'orders',
    access: owned('order', 'SalesAdmin', 'Production', 'Engineering'),
    summary: 'R23: the Welcome Letter (application/pdf), for Production to print and pack',
  },
  {
    method: 'POST',
    path: '/orders/{id}/shipment',
    group: 'orders',
    access: only('Production', 'SalesAdmin'),
    summary: 'Record the shipment and start the post-shipment workflow (R25/R26)',
  },
  {
    method: 'POST',
    path: '/orders/{id}/steps/{step}',
    group: 'orders',
    access: stepOwner,
    summary: "R22-R26: complete a person's step on an order: contract review, packing, the equipment check, closing a corrective action",
  },
  {
    method: 'POST',
    path: '/orders/{id}/tasks/{task}',
    group: 'orders',
    access: stepOwner,
    aliasOf: 'POST /orders/{id}/steps/{step}',
    summary: "Deprecated alias of POST /orders/{id}/steps/{step}: complete a person's step on an order",
  },
  { method: 'POST', path: '/campaigns', group: 'marketing', access: only('Marketing'), summary: 'R1: record a campaign' },
  {
    method: 'GET',
    path: '/campaigns/{id}',
    group: 'marketing',
    access: only('Marketing', 'SalesManager', 'SalesAdmin', 'ManagingDirector'),
    summary: 'R1: a campaign with its lead count, qualified count and cost per lead',
  },
  {
    method: 'POST',
    path: '/campaigns/{id}/materials',
    keyed: true,
    group: 'marketing',
    access: only('Marketing'),
    summary: 'R2: mailshot or cold-call material to distributors chosen by size or list',
  },
  {
    method: 'GET',
    path: '/unsubscribe/{token}',
    group: 'marketing',
    access: anyone,
    summary: 'What the unsubscribe link in a bulk email will do; changes nothing',
    throttle: { rate: 10, burst: 20, perClient: { rate: 3, burst: 10 } },
  },
  {
    method: 'POST',
    path: '/unsubscribe/{token}',
    group: 'marketing',
    access: anyone,
    summary: 'R2: take the address off bulk mail for good',
    throttle: { rate: 10, burst: 20, perClient: { rate: 3, burst: 10 } },
    acceptsForm: true,
  },
  {
    method: 'GET',
    path: '/reports/{name}',
    group: 'reports',
    // An SM reads their own figures and their reports'; the MD and the sales director all; Marketing the campaign report only (the handler checks).
    access: owned('owner-asked', 'Marketing'),
    summary: 'A report from the rollups, by month (from, to) and owner: JSON, or CSV with Accept: text/csv or format=csv',
  },
  {
    method: 'POST',
    path: '/imports',
    group: 'imports',
    access: only('SalesAdmin', 'ManagingDirector'),
    summary:
      "Contacts and companies from another CRM's CSV export (text/csv, up to 5 MiB): a preview with ?dryRun=true, else 202 and made in the background; nobody is emailed",
  },
  {
    method: 'GET',
    path: '/imports/{id}',
    group: 'imports',
    access: only('SalesAdmin', 'ManagingDirector'),
    summary: 'Where an import stands: progress, and the report (created, skipped as duplicates, failed rows with reasons)',
  },
  {
    method: 'GET',
    path: '/exports/{file}',
    group: 'exports',
    access: owned('owner-asked', 'SalesAdmin'),
    summary:
      "leads.csv, opportunities.csv, accounts.csv, orders.csv or quotes.csv with their list's filters: what the caller may read (an SM's own and their reports')",
  },
  { method: 'GET', path: '/agenda', group: 'agenda', access: internal, summary: "The caller's open items, most overdue first" },
  {
    method: 'GET',
    path: '/actions/{token}',
    group: 'actions',
    access: anyone,
    summary: 'What an emailed link will do; changes nothing',
    throttle: { rate: 10, burst: 20, perClient: { rate: 3, burst: 10 } },
  },
  {
    method: 'POST',
    path: '/actions/{token}',
    group: 'actions',
    access: anyone,
    summary: 'Do what an emailed link says: approve or reject a QPA, prepare, sign, decide a contract, answer a follow-up, set a password',
    throttle: { rate: 10, burst: 20, perClient: { rate: 3, burst: 10 } },
    acceptsForm: true,
  },
  // Issue 15: edits and decisions after a record was made; each PATCH carries If-Match (the version read).
  {
    method: 'PATCH',
    path: '/leads/{id}',
    group: 'leads',
    access: owned('lead'),
    summary: "Change a lead's contact details or interest (If-Match: the version read)",
  },
  {
    method: 'POST',
    path: '/leads/{id}/reassignment',
    group: 'leads',
    access: managers('lead'),
    summary: 'Give a lead to another SM; both are emailed',
  },
  {
    method: 'POST',
    path: '/leads/{id}/disqualify',
    group: 'leads',
    access: owned('lead'),
    summary: 'R5: the SM decides a suspect is no lead, saying why',
  },
  {
    method: 'POST',
    path: '/leads/{id}/merge',
    group: 'leads',
    access: owned('lead'),
    summary: 'Merge this suspect into another lead of the same customer; its timeline and emails are read there',
  },
  {
    method: 'PATCH',
    path: '/opportunities/{id}',
    group: 'opportunities',
    access: owned('opportunity'),
    summary: "Change an opportunity's company, qualification, expected close date or probability (If-Match: the version read)",
  },
  {
    method: 'POST',
    path: '/opportunities/{id}/reassignment',
    group: 'opportunities',
    access: managers('opportunity'),
    summary: 'Give an opportunity to another SM; both are emailed',
  },
  {
    method: 'POST',
    path: '/opportunities/{id}/close',
    group: 'opportunities',
    access: owned('opportunity'),
    summary: 'Close an opportunity as won or lost, with the reason (and who won it)',
  },
  {
    method: 'PATCH',
    path: '/accounts/{id}',
    group: 'accounts',
    access: owned('account', 'SalesAdmin'),
    summary: "Change an account's name, contacts or selection (If-Match: the version read)",
  },
  {
    method: 'POST',
    path: '/accounts/{id}/reassignment',
    group: 'accounts',
    access: managers('account'),
    summary: 'Give an account, with its calls and visits due, to another SM; both are emailed',
  },
  {
    method: 'POST',
    path: '/tasks',
    group: 'activities',
    access: owned('owner-asked', 'SalesAdmin', 'ApplicationEngineer'),
    summary: 'A task of your own (call back, send a sample) on a record you may act on: on your agenda and in your digest until done',
  },
  {
    method: 'POST',
    path: '/tasks/{id}/done',
    group: 'activities',
    // Whoever a task is for, whatever their role, and the people they report to.
    access: { public: false, roles: allRoles, ownRecords: allRoles.filter((role) => role !== 'ManagingDirector'), record: 'task' },
    summary: 'Mark a task of yours done (or of someone who reports to you)',
  },
] as const satisfies readonly Route[];

export const routes: readonly Route[] = routeList;

export type RouteKey = `${(typeof routeList)[number]['method']} ${(typeof routeList)[number]['path']}`;

export const routeKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export const findRoute = (key: string): Route | undefined => routes.find((route) => routeKey(route) === key);

const parameterNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name!);

/**
 * A deprecated alias's path parameters under the names its route gives them, by position
 * ({task} is {step}): the alias is served by that route's handler and described by its contract.
 */
export const aliasParameters = (alias: Route): Record<string, string> => {
  const target = parameterNames(alias.aliasOf?.split(' ')[1] ?? alias.path);
  return Object.fromEntries(parameterNames(alias.path).map((name, index) => [name, target[index] ?? name]));
};

/** Largest request body any route accepts (docs/api.md: 413 above 64 KiB). */
export const maxBodyBytes = 64 * 1024;
