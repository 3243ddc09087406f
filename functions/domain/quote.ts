import { money } from '#domain/money';
import type { AgendaItem } from './agenda';
import { Conflict, NotAllowed } from './errors';
import type { Opportunity } from './opportunity';
import type { Caller, Role } from './roles';
import { systemActor, type TimelineEntry } from './timeline';

/**
 * R13-R19: a quote, from the SM's definition through the QPA, the parallel preparation of quote
 * and proposal, the SM's signature and the transmission, to a formal contract with the MD.
 * Pure rules; the workflow (statemachines/quote-approval.asl.json) moves a quote between them.
 */

export interface QuoteLine {
  sku: string;
  description: string;
  quantity: number;
  unitPriceGbp: number;
  /** Percent off the unit price, 0-100. */
  discountPercent: number;
}

export interface QuoteRequest {
  lines: QuoteLine[];
  proposalSummary: string;
  /** R14: a requirement outside the catalogue makes a QPA necessary whatever the price. */
  nonStandardRequirements: string | null;
  /** Days the customer may accept the quote in. */
  validForDays: number;
  /** Where the goods go, when not the lead's country: it decides the VAT. */
  customerCountry?: string;
}

/** The limits a quote is measured against; configuration, with these defaults. */
export interface QuoteLimits {
  /** R14: discounts up to this need no QPA. */
  standardDiscountPercent: number;
  /** Above this, finance must approve too. */
  deepDiscountPercent: number;
  /** Quotes over this total need a QPA and the MD's approval. */
  qpaTotalGbp: number;
  /** R10: an opportunity estimated over this goes to Engineering for review; exactly this does not. */
  engineeringReviewGbp: number;
  /** R18: the SM is reminded if the customer has not answered within this many days. */
  followUpDays: number;
  /** How long an emailed link stays valid. */
  linkValidDays: number;
  /** How many times a person is chased before the quote lapses. */
  maxEscalations: number;
  /**
   * R15-R17: days a person has to answer a step before they are chased. The workflow's timeout is
   * built from the default (statemachines/quote-approval.ts, `npm run workflows`), so a deployed
   * state machine does not follow a setting: the steps function reads the default too.
   */
  chaseAfterDays: number;
}

export const defaultQuoteLimits: QuoteLimits = {
  standardDiscountPercent: 10,
  deepDiscountPercent: 25,
  qpaTotalGbp: 250_000,
  engineeringReviewGbp: 250_000,
  followUpDays: 7,
  linkValidDays: 7,
  maxEscalations: 2,
  chaseAfterDays: 3,
};

/** Who approves a QPA, by position; the people are configuration. */
export interface Approvers {
  salesDirector: string;
  finance: string;
  managingDirector: string;
}

export const approverTitles = {
  salesDirector: 'Sales Director',
  finance: 'Finance',
  managingDirector: 'Managing Director',
} as const satisfies Record<keyof Approvers, string>;

export type ApproverPosition = keyof Approvers;

export interface Approver {
  position: ApproverPosition;
  email: string;
}

export interface Qpa {
  applies: boolean;
  reasons: string[];
  /** In the order they decide. */
  approvers: Approver[];
}

export interface Totals {
  listGbp: number;
  discountGbp: number;
  netGbp: number;
  largestDiscountPercent: number;
}

/** Money in pence while adding up, so sums never drift. */
const pence = (gbp: number) => Math.round(gbp * 100);

/**
 * VAT by the customer's country: the rate of each country the business charges VAT in, as a
 * percentage; a country not listed is an export outside them, zero-rated. `home` stands for a
 * customer whose country is not known: charging the home rate is the safe mistake.
 */
export interface VatRates {
  rates: Record<string, number>;
  home: string;
}

export const defaultVatRates: VatRates = { rates: { GB: 20, DE: 19, FR: 20, IE: 23, NL: 21 }, home: 'GB' };

/** The VAT a quote carries: the country it went by, the rate and how the document words it. */
export interface VatApplied {
  country: string;
  ratePercent: number;
  wording: string;
}

/** A quote's totals: net as before, and its VAT and gross. */
export interface QuoteTotals extends Totals {
  vat: VatApplied;
  vatGbp: number;
  grossGbp: number;
}

export const vatFor = (country: string | undefined, vat: VatRates): VatApplied => {
  const code = (country || vat.home).toUpperCase();
  const rate = vat.rates[code];
  return rate === undefined
    ? { country: code, ratePercent: 0, wording: 'zero-rated export' }
    : { country: code, ratePercent: rate, wording: `VAT at ${rate}%` };
};

/** Net, VAT and gross, VAT rounded to the penny on the net total. */
export const quoteTotalsWithVat = (lines: readonly QuoteLine[], vat: VatApplied): QuoteTotals => {
  const totals = quoteTotals(lines);
  const vatPence = Math.round((pence(totals.netGbp) * vat.ratePercent) / 100);
  return { ...totals, vat, vatGbp: vatPence / 100, grossGbp: (pence(totals.netGbp) + vatPence) / 100 };
};

/**
 * The quote's number as people quote it, Q-2026-0042: sequential per calendar year, gap-free
 * (the counter moves only in the transaction that writes the quote).
 */
export const quoteNumber = (year: number, sequence: number): string => `Q-${year}-${String(sequence).padStart(4, '0')}`;

export const quoteTotals = (lines: readonly QuoteLine[]): Totals => {
  let list = 0;
  let net = 0;
  for (const line of lines) {
    const lineList = pence(line.unitPriceGbp) * line.quantity;
    list += lineList;
    net += Math.round((lineList * (100 - line.discountPercent)) / 100);
  }
  return {
    listGbp: list / 100,
    discountGbp: (list - net) / 100,
    netGbp: net / 100,
    largestDiscountPercent: Math.max(0, ...lines.map((line) => line.discountPercent)),
  };
};

/** R14/R15: whether a QPA applies, why, and who approves it in which order. */
export const assessQpa = (
  request: Pick<QuoteRequest, 'lines' | 'nonStandardRequirements'>,
  limits: QuoteLimits,
  approvers: Approvers,
): Qpa => {
  const totals = quoteTotals(request.lines);
  const discounted = totals.largestDiscountPercent > limits.standardDiscountPercent;
  const deep = totals.largestDiscountPercent > limits.deepDiscountPercent;
  const large = totals.netGbp > limits.qpaTotalGbp;
  const nonStandard = Boolean(request.nonStandardRequirements?.trim());
  const reasons = [
    ...(discounted ? [`a discount over ${limits.standardDiscountPercent}%`] : []),
    ...(nonStandard ? ['non-standard requirements'] : []),
    ...(large ? [`a total over ${money(limits.qpaTotalGbp)}`] : []),
  ];
  if (reasons.length === 0) return { applies: false, reasons, approvers: [] };
  // The matrix: the sales director always; finance for deep discounts; the MD for large quotes.
  const positions: ApproverPosition[] = [
    'salesDirector',
    ...(deep ? (['finance'] as const) : []),
    ...(large ? (['managingDirector'] as const) : []),
  ];
  return { applies: true, reasons, approvers: positions.map((position) => ({ position, email: approvers[position] })) };
};

// ---- the people's steps ------------------------------------------------------------------------

/** Every step a person takes in the workflow; each is a `.waitForTaskToken` task. */
export const quoteSteps = [
  'prepare-qpa',
  'approve-qpa',
  'prepare-quote',
  'engineering-assistance',
  'prepare-proposal',
  'sign',
  'approve-contract',
] as const;
export type QuoteStep = (typeof quoteSteps)[number];

interface StepRule {
  /** What the person is asked to do, in the email and on the link's page. */
  ask: string;
  /** R28: the role that may do it through the internal route; personal steps go by email. */
  role?: Role;
  /** Who gets the link: the SM who owns the quote, a named approver, or a team's address. */
  assignee: 'owner' | 'approver' | 'salesAdmin' | 'applicationEngineer' | 'engineering' | 'managingDirector';
  status: QuoteStatus;
  /** Decisions can go either way; the other steps are done or not. */
  decides: boolean;
}

export const stepRules: Record<QuoteStep, StepRule> = {
  'prepare-qpa': { ask: 'Prepare the QPA', role: 'SalesAdmin', assignee: 'salesAdmin', status: 'qpa-preparation', decides: false },
  'approve-qpa': { ask: 'Approve or reject the QPA', assignee: 'approver', status: 'awaiting-approval', decides: true },
  'prepare-quote': { ask: 'Prepare the quote', role: 'SalesAdmin', assignee: 'salesAdmin', status: 'in-preparation', decides: false },
  'engineering-assistance': {
    ask: 'Give the AE technical assistance for the proposal',
    role: 'Engineering',
    assignee: 'engineering',
    status: 'in-preparation',
    decides: false,
  },
  'prepare-proposal': {
    ask: 'Prepare the technical proposal',
    role: 'ApplicationEngineer',
    assignee: 'applicationEngineer',
    status: 'in-preparation',
    decides: false,
  },
  sign: {
    ask: 'Review and sign the quote and proposal',
    role: 'SalesManager',
    assignee: 'owner',
    status: 'awaiting-signature',
    decides: false,
  },
  'approve-contract': {
    ask: 'Negotiate and approve the formal contract',
    role: 'ManagingDirector',
    assignee: 'managingDirector',
    status: 'contract-negotiation',
    decides: true,
  },
};

/** One open step: whose it is, and the link that was emailed for it. */
export interface OpenQuoteStep {
  task: QuoteStep;
  /** approve-qpa has one step per approver. */
  approver?: ApproverPosition;
  assignee: string;
  actionId: string;
  askedAt: string;
  dueBy: string;
}

/** approve-qpa steps are keyed by position; the others by their name. */
export const quoteStepKey = (task: QuoteStep, approver?: ApproverPosition): string => (approver ? `${task}:${approver}` : task);

export const quoteStatuses = [
  'qpa-preparation',
  'awaiting-approval',
  'returned',
  'in-preparation',
  'awaiting-signature',
  'sending',
  'sent',
  'contract-negotiation',
  'contract-approved',
  'contract-rejected',
  'lapsed',
  'failed',
] as const;
export type QuoteStatus = (typeof quoteStatuses)[number];

export interface Decision {
  task: QuoteStep;
  approver?: ApproverPosition;
  by: string;
  at: string;
  decision: 'approved' | 'rejected';
  reason?: string;
  /** A link from an email, or the internal route. */
  via: 'link' | 'internal';
}

export interface PreparedQuote {
  by: string;
  at: string;
  paymentTerms: string;
  deliveryTerms: string;
  /** Conditions of sale beyond payment and delivery (warranty, validity, law). */
  terms?: string;
  notes?: string;
}

export interface PreparedText {
  by: string;
  at: string;
  text: string;
}

export interface QuoteDocument {
  filename: string;
  sha256: string;
  bytes: number;
  renderedAt: string;
  /** GDPR art. 17: the erasure whose reference the filed bytes now carry; `sha256` is still what was signed. */
  redactedBy?: string;
}

/** R17: who signed, when, and exactly what (the SHA-256 of the document's bytes). */
export interface Signature {
  signer: string;
  signedAt: string;
  algorithm: 'SHA-256';
  sha256: string;
  via: 'link' | 'internal';
}

export interface Contract {
  requestedBy: string;
  requestedAt: string;
  requirements: string;
  executionArn: string;
  decision?: Decision & { terms?: string };
}

export interface Quote {
  id: string;
  /** The number the customer and the staff quote: Q-2026-0042 (see quoteNumber). */
  number: string;
  opportunityId: string;
  owner: string;
  /** `country` is where the goods go, ISO 3166-1 alpha-2: it decides the VAT. */
  customer: { name: string; email: string; company: string; country?: string };
  request: QuoteRequest;
  totals: QuoteTotals;
  qpa: Qpa;
  /** R16: Engineering assists the AE when the opportunity had an engineering review. */
  engineeringAssistance: boolean;
  status: QuoteStatus;
  tasks: Record<string, OpenQuoteStep>;
  decisions: Decision[];
  escalations: Record<string, number>;
  prepared: { qpa?: PreparedText; quote?: PreparedQuote; proposal?: PreparedText; engineering?: PreparedText };
  document?: QuoteDocument;
  signature?: Signature;
  /** R17: queued to the customer at `at`; the outbox email `emailId` says when it went. */
  transmission?: { at: string; to: string; emailId: string; followUpAt: string };
  followUp?: { at: string; outcome: 'reminded' | 'customer-answered' };
  contract?: Contract;
  /** The workflow failed: the error's name and a short reason a person can read (see quoteFailure). */
  failure?: { at: string; error: string; reason?: string };
  executionArn: string;
  createdAt: string;
  updatedAt: string;
}

/** R13/R14: the SM defines a quote on an open opportunity. */
export const defineQuote = (
  opportunity: Opportunity,
  customer: Quote['customer'],
  request: QuoteRequest,
  ids: { quoteId: string; executionArn: string; number: string },
  policy: { limits: QuoteLimits; approvers: Approvers; vat?: VatRates },
  by: Caller,
  now: string,
): { quote: Quote; entry: TimelineEntry } => {
  // Who may quote is the access policy's (the owner, their managers, the MD: functions/routes).
  if (opportunity.engineeringReview.status === 'required') {
    // R10: Engineering's advice comes before any price.
    throw new Conflict(
      `Opportunity ${opportunity.id} waits for its Engineering review (${opportunity.engineeringReview.reasons.join(', ')}): no quote before it`,
    );
  }
  const qpa = assessQpa(request, policy.limits, policy.approvers);
  const country = request.customerCountry ?? customer.country;
  const totals = quoteTotalsWithVat(request.lines, vatFor(country, policy.vat ?? defaultVatRates));
  const quote: Quote = {
    id: ids.quoteId,
    number: ids.number,
    opportunityId: opportunity.id,
    owner: opportunity.owner,
    customer: { ...customer, ...(country ? { country: country.toUpperCase() } : {}) },
    request,
    totals,
    qpa,
    engineeringAssistance: opportunity.engineeringReview.status !== 'not-required',
    status: qpa.applies ? 'qpa-preparation' : 'in-preparation',
    tasks: {},
    decisions: [],
    escalations: {},
    prepared: {},
    executionArn: ids.executionArn,
    createdAt: now,
    updatedAt: now,
  };
  return {
    quote,
    entry: {
      id: ids.quoteId,
      at: now,
      actor: by.email,
      kind: 'quote-requested',
      summary:
        `Quote ${quote.number} defined: ${money(totals.netGbp)} net; ` +
        (qpa.applies ? `QPA applies (${qpa.reasons.join('; ')})` : 'no QPA needed'),
      detail: { quoteId: quote.id, number: quote.number, netGbp: totals.netGbp, qpa: qpa.applies },
    },
  };
};

/** The input the workflow starts with: only ids and the decisions taken at definition. */
export const quoteWorkflowInput = (quote: Quote) => ({
  request: 'quote' as const,
  quoteId: quote.id,
  qpa: { applies: quote.qpa.applies, approvers: quote.qpa.approvers.map((a) => a.position) },
  engineeringAssistance: quote.engineeringAssistance,
});

/** Who a step goes to. */
export const assigneeOf = (
  quote: Pick<Quote, 'owner' | 'qpa'>,
  task: QuoteStep,
  approver: ApproverPosition | undefined,
  team: { salesAdmin: string; applicationEngineer: string; engineering: string; approvers: Approvers },
): string => {
  switch (stepRules[task].assignee) {
    case 'owner':
      return quote.owner;
    case 'approver': {
      const found = quote.qpa.approvers.find((a) => a.position === approver);
      if (!found) throw new Error(`No ${approver} in this quote's approval matrix`);
      return found.email;
    }
    case 'salesAdmin':
      return team.salesAdmin;
    case 'applicationEngineer':
      return team.applicationEngineer;
    case 'engineering':
      return team.engineering;
    case 'managingDirector':
      return team.approvers.managingDirector;
  }
};

/**
 * R28: who may complete a step through the internal route. Decisions are personal: an approval
 * belongs to the person in the matrix, a signature to the owning SM. Team steps take the role.
 */
export const mayComplete = (open: OpenQuoteStep, caller: Caller): boolean => {
  const rule = stepRules[open.task];
  if (rule.assignee === 'approver' || rule.assignee === 'owner') return caller.email === open.assignee;
  return rule.role !== undefined && caller.roles.includes(rule.role);
};

/** The open step of this kind that the caller may complete, or why not. */
export const openStepFor = (quote: Quote, task: QuoteStep, caller: Caller): OpenQuoteStep => {
  const open = Object.values(quote.tasks).filter((t) => t.task === task);
  if (open.length === 0) {
    // Waiting for nothing of this kind: decided already, or not there yet.
    throw new Conflict(`Quote ${quote.id} is not waiting for "${task}" (it is ${quote.status})`);
  }
  const mine = open.find((t) => mayComplete(t, caller));
  if (!mine && quote.decisions.some((d) => d.task === task && d.by === caller.email)) {
    throw new Conflict(`${caller.email} has already decided "${stepRules[task].ask}" on quote ${quote.id}`);
  }
  if (!mine) {
    throw new NotAllowed(`"${stepRules[task].ask}" is for ${open.map((t) => t.assignee).join(' or ')}, not ${caller.email}`);
  }
  return mine;
};

/** R15-R19: the people a quote's steps name (who it waits for, who decided, the QPA's approvers). */
export const peopleNamedOn = (quote: Pick<Quote, 'tasks' | 'decisions' | 'qpa'>): string[] => [
  ...Object.values(quote.tasks).map((task) => task.assignee),
  ...quote.decisions.map((decision) => decision.by),
  ...quote.qpa.approvers.map((approver) => approver.email),
];

/** What a person sends to complete a step, per step. */
export type StepAnswer =
  | { task: 'prepare-qpa'; text: string }
  | { task: 'approve-qpa'; decision: 'approve' | 'reject'; reason?: string }
  | { task: 'prepare-quote'; paymentTerms: string; deliveryTerms: string; terms?: string; notes?: string }
  | { task: 'engineering-assistance'; text: string }
  | { task: 'prepare-proposal'; text: string }
  | { task: 'sign' }
  | { task: 'approve-contract'; decision: 'approve' | 'reject'; reason?: string; terms?: string };

export interface CompletedStep {
  /** Attributes of the quote to set. */
  changes: Partial<Quote>;
  entry: TimelineEntry;
  /** What the workflow receives (SendTaskSuccess output). */
  output: { decision: 'done' | 'approved' | 'rejected' };
}

/** Applies a person's step to the quote; the caller has already been checked. */
export const completedStep = (
  quote: Quote,
  open: OpenQuoteStep,
  input: StepAnswer,
  by: string,
  via: 'link' | 'internal',
  ids: { entryId: string; documentSha256?: string },
  now: string,
): CompletedStep => {
  if (input.task !== open.task) throw new Conflict(`This step is "${open.task}", not "${input.task}"`);
  const entry = (summary: string, detail: Record<string, unknown> = {}): TimelineEntry => ({
    id: ids.entryId,
    at: now,
    actor: by,
    kind: 'quote-step',
    channel: via === 'link' ? 'email-link' : 'internal',
    summary,
    detail: { quoteId: quote.id, task: open.task, ...detail },
  });
  switch (input.task) {
    case 'prepare-qpa':
      return {
        changes: { prepared: { ...quote.prepared, qpa: { by, at: now, text: input.text } } },
        entry: entry('QPA prepared and filed'),
        output: { decision: 'done' },
      };
    case 'approve-qpa':
    case 'approve-contract': {
      const decision: Decision = {
        task: input.task,
        ...(open.approver ? { approver: open.approver } : {}),
        by,
        at: now,
        decision: input.decision === 'approve' ? 'approved' : 'rejected',
        ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}),
        via,
      };
      const who = open.approver ? approverTitles[open.approver] : 'The MD';
      const what = input.task === 'approve-qpa' ? 'the QPA' : 'the contract';
      const changes: Partial<Quote> =
        input.task === 'approve-qpa'
          ? { decisions: [...quote.decisions, decision] }
          : {
              decisions: [...quote.decisions, decision],
              contract: { ...quote.contract!, decision: { ...decision, ...(input.terms ? { terms: input.terms } : {}) } },
              status: decision.decision === 'approved' ? 'contract-approved' : 'contract-rejected',
            };
      return {
        changes,
        entry: entry(`${who} ${decision.decision} ${what}${decision.reason ? `: ${decision.reason}` : ''}`, {
          decision: decision.decision,
        }),
        output: { decision: decision.decision },
      };
    }
    case 'prepare-quote':
      return {
        changes: {
          prepared: {
            ...quote.prepared,
            quote: {
              by,
              at: now,
              paymentTerms: input.paymentTerms,
              deliveryTerms: input.deliveryTerms,
              ...(input.terms ? { terms: input.terms } : {}),
              ...(input.notes ? { notes: input.notes } : {}),
            },
          },
        },
        entry: entry('Quote prepared and filed'),
        output: { decision: 'done' },
      };
    case 'engineering-assistance':
      return {
        changes: { prepared: { ...quote.prepared, engineering: { by, at: now, text: input.text } } },
        entry: entry("Engineering's technical assistance given to the AE"),
        output: { decision: 'done' },
      };
    case 'prepare-proposal':
      return {
        changes: { prepared: { ...quote.prepared, proposal: { by, at: now, text: input.text } } },
        entry: entry('Technical proposal prepared and filed'),
        output: { decision: 'done' },
      };
    case 'sign': {
      if (!quote.document || !ids.documentSha256) throw new Conflict('There is no document to sign yet');
      // R17: the signature covers the bytes as they are now; a changed document no longer matches.
      if (ids.documentSha256 !== quote.document.sha256) {
        throw new Conflict('The document changed after it was composed; it will not be signed');
      }
      const signature: Signature = { signer: by, signedAt: now, algorithm: 'SHA-256', sha256: ids.documentSha256, via };
      return {
        changes: { signature, status: 'sending' },
        entry: entry(`Signed electronically (SHA-256 ${ids.documentSha256.slice(0, 12)}…)`, {
          sha256: ids.documentSha256,
        }),
        output: { decision: 'done' },
      };
    }
  }
};

/** R18: the SM is reminded only if nothing came back from the customer since transmission. */
export const followUpNeeded = (quote: Pick<Quote, 'transmission' | 'contract'>, timeline: readonly TimelineEntry[]) => {
  if (!quote.transmission || quote.contract) return false;
  const since = quote.transmission.at;
  return !timeline.some((entry) => entry.kind === 'activity' && entry.at > since);
};

/** Nothing waits forever: after `maxEscalations` chases, the quote lapses. */
export const escalationOutcome = (quote: Pick<Quote, 'escalations'>, key: string, limits: Pick<QuoteLimits, 'maxEscalations'>) => {
  const count = (quote.escalations[key] ?? 0) + 1;
  return { count, lapse: count > limits.maxEscalations };
};

/** Where a quote stands, for GET /quotes/{id}: the record, and whether its signature still holds. */
export const signatureHolds = (quote: Pick<Quote, 'signature'>, currentSha256: string | undefined): boolean | undefined =>
  quote.signature ? quote.signature.sha256 === currentSha256 : undefined;

/** R15-R17: a person's open step on a quote, as it shows on their agenda and in the digest. */
export const quoteStepAgendaItem = (
  quote: Pick<Quote, 'id' | 'number' | 'customer' | 'totals'>,
  open: OpenQuoteStep,
  key: string,
): AgendaItem => ({
  kind: key,
  assignee: open.assignee,
  dueAt: open.dueBy,
  summary: `${open.approver ? `${stepRules[open.task].ask} (${approverTitles[open.approver]})` : stepRules[open.task].ask}: quote ${quote.number} for ${quote.customer.company}, ${money(quote.totals.netGbp)} net`,
  subject: { kind: 'quote', id: quote.id },
});

/** R18: the customer has not answered the quote; the SM follows up, on the opportunity. */
export const quoteFollowUpAgendaItem = (quote: Pick<Quote, 'id' | 'owner' | 'customer' | 'opportunityId'>, at: string): AgendaItem => ({
  kind: `quote-follow-up:${quote.id}`,
  assignee: quote.owner,
  dueAt: at,
  summary: `Follow up the quote with ${quote.customer.company}: no answer yet`,
  subject: { kind: 'opportunity', id: quote.opportunityId },
});

/**
 * A person's answer came when the workflow no longer waited for it (the task timed out, the run
 * ended): the step closes, and the entry says so without the answer, which is not kept.
 */
export const stepClosedUnanswered = (
  quote: Pick<Quote, 'id'>,
  open: OpenQuoteStep,
  by: string,
  refusal: string,
  ids: { entryId: string },
  now: string,
): TimelineEntry => ({
  id: ids.entryId,
  at: now,
  actor: systemActor,
  kind: 'quote-step',
  summary: `"${open.approver ? `${stepRules[open.task].ask} (${approverTitles[open.approver]})` : stepRules[open.task].ask}" closed: the workflow no longer waited for it, so ${by}'s answer was not recorded`,
  detail: { quoteId: quote.id, task: open.task, refusal },
});

/** What the workflow's Catch hands its failure step: Step Functions' error name and cause. */
export interface WorkflowFailure {
  Error: string;
  Cause?: string;
}

const causeWords: Record<string, string> = {
  'States.Timeout': 'A step took longer than it is allowed',
  'States.TaskFailed': 'A step kept failing',
  'States.Permissions': 'The workflow may not call one of its steps',
};

/** What may not stay in a failure reason: email addresses, and phone-like or account numbers. */
const addresses = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+/g;
const numbers = /\+?\d[\d ().-]{5,}\d/g;

/**
 * The failure as the quote keeps it. For a Lambda error the Cause is JSON holding errorType and
 * errorMessage; other causes are plain text, or missing. The reason is the message's first line,
 * short, with addresses and long numbers masked: error messages may quote a record, and the
 * failure is shown to everyone who can see the quote.
 */
export const quoteFailure = (failure: WorkflowFailure, at: string): NonNullable<Quote['failure']> => {
  let error = failure.Error;
  let message = failure.Cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorType?: unknown; errorMessage?: unknown };
    if (parsed && typeof parsed === 'object') {
      if (typeof parsed.errorType === 'string' && parsed.errorType) error = parsed.errorType;
      message = typeof parsed.errorMessage === 'string' ? parsed.errorMessage : '';
    }
  } catch {
    // Not JSON: the cause is the message itself.
  }
  const line = (message.split('\n').find((text) => text.trim()) ?? '')
    .replace(addresses, '[address]')
    .replace(numbers, (found) => (found.replace(/\D/g, '').length >= 7 ? '[number]' : found))
    .replace(/\s+/g, ' ')
    .trim();
  const short = line.length > 200 ? `${line.slice(0, 199)}…` : line;
  return { at, error, reason: short || causeWords[failure.Error] || `A step failed (${failure.Error})` };
};
