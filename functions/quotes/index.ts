import { randomUUID } from 'node:crypto';
import { isPassingFault } from '#adapters/dynamodb';
import { findLead, findOpportunity } from '#adapters/lead-records';
import { findQuote, readQuoteDocument, recordContractRequested, recordNewQuote, recordQuoteProgress } from '#adapters/quote-records';
import { keys } from '#adapters/table-design';
import { recordedRequest } from '#adapters/table-items';
import { executionArnFor, startWorkflow } from '#adapters/workflow-runs';
import { idPath } from '#contract/fields';
import { sha256 } from '#domain/document-hash';
import { NotFound } from '#domain/errors';
import {
  defineQuote,
  openStepFor,
  peopleNamedOn,
  type Quote,
  type QuoteStep,
  quoteNumber,
  quoteWorkflowInput,
  signatureHolds,
} from '#domain/quote';
import type { Caller } from '#domain/roles';
import { systemActor } from '#domain/timeline';
import { stepBody } from '#functions/actions/link-body';
import { approvers, quoteApprovalArn, quoteLimits, vatRates } from '#functions/config';
import { logger } from '#functions/observability';
import { apiRoute, json, pdf } from '#http/api';
import { dispatch } from '#http/dispatch';
import { keyedRequest, recordOnce } from '#http/idempotency';
import { completeQuoteStep } from './complete-step';
import { listQuotes } from './list-quotes';
import { getProducts, putProduct } from './products';
import { contractBody, quoteBody, quotePath, stepPath } from './schemas';

/** Workflow runs are named after their quote, so a retry can never start a second one. */
const runName = { quote: (id: string) => `quote-${id}`, contract: (id: string) => `contract-${id}` };

/** R13/R14: the SM defines the quote; the quote-approval workflow takes it from there. */
export const startQuote = apiRoute(
  { route: 'POST /opportunities/{id}/quotes', path: idPath, body: quoteBody },
  async ({ path, body, caller, event, actOn }) => {
    // The key names the quote, for this opportunity and this SM only.
    const request = keyedRequest(event, [path.id, caller!.email], body);
    const opportunity = await findOpportunity(path.id);
    if (!opportunity) throw new NotFound(`No opportunity ${path.id}`);
    await actOn(opportunity.owner, `Opportunity ${path.id}`);
    const lead = await findLead(opportunity.leadId);
    if (!lead) throw new NotFound(`The lead of opportunity ${path.id} is gone`);
    const quoteId = request.id;
    const executionArn = executionArnFor(quoteApprovalArn(), runName.quote(quoteId));
    const now = new Date().toISOString();
    // Numbered by the calendar year it is created in, Q-2026-0042.
    const year = Number(now.slice(0, 4));
    const { name, email, company, country } = lead.contact;
    const customer = { name, email, company, ...(country ? { country } : {}) };
    const policy = { limits: quoteLimits(), approvers: approvers(), vat: vatRates() };
    const compose = (sequence: number) =>
      defineQuote(opportunity, customer, body, { quoteId, executionArn, number: quoteNumber(year, sequence) }, policy, caller!, now);
    // Rules first (no quote before Engineering's review), before any number is read.
    compose(0);
    const recorded = await recordOnce(
      request,
      () => recordNewQuote(year, compose, request.fingerprint),
      async () => {
        const first = await recordedRequest<Quote>(keys.quote(quoteId));
        return first && { fingerprint: first.fingerprint, answer: first.record };
      },
    );
    // A retry also starts the run if the first request could not (a run of that name starts once).
    await startRun(recorded, runName.quote(recorded.id), quoteWorkflowInput(recorded));
    logger.info('quote started', { quoteId, opportunityId: opportunity.id, qpa: recorded.qpa.applies });
    return json(202, { quoteId, number: recorded.number, executionArn: recorded.executionArn }, { location: `/quotes/${quoteId}` });
  },
);

/**
 * The quote is recorded first. If its run cannot start for a passing fault, the request answers
 * 503 and its retry starts it; for anything else the quote says so rather than waiting forever.
 */
const startRun = async (quote: Quote, name: string, input: unknown) => {
  try {
    await startWorkflow(quoteApprovalArn(), name, input);
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists') return;
    if (isPassingFault(error)) throw error;
    const at = new Date().toISOString();
    await recordQuoteProgress(
      quote,
      { status: 'failed', failure: { at, error: (error as Error).name } },
      { id: randomUUID(), at, actor: systemActor, kind: 'quote-failed', summary: 'The workflow could not be started' },
    ).catch(() => undefined);
    throw error;
  }
};

/** Where a quote stands: status, open steps, decisions with who and when, document, signature. */
export const getQuote = apiRoute({ route: 'GET /quotes/{id}', path: quotePath }, async ({ path, actOn }) => {
  const quote = await findQuote(path.id);
  if (!quote) throw new NotFound(`No quote ${path.id}`);
  // An approver reads the quote they decide on (R15).
  await actOn(quote.owner, `Quote ${path.id}`, peopleNamedOn(quote));
  const document = quote.document ? await readQuoteDocument(quote.id) : undefined;
  const current = document && sha256(document);
  // The step that waits for whom; the links themselves are only ever in the emails.
  // Each names its step as `step` (and as `task`, its old name).
  const steps = Object.values(quote.tasks).map(({ actionId: _actionId, ...open }) => ({ ...open, step: open.task }));
  return json(200, {
    ...quote,
    steps,
    // The same list under its old name, for readers written before `steps`.
    tasks: steps,
    document: quote.document && { ...quote.document, currentSha256: current },
    signature: quote.signature && { ...quote.signature, holds: signatureHolds(quote, current) },
  });
});

/** R17: the document itself, the bytes the signature's hash is of, for reading before signing. */
export const getQuoteDocument = apiRoute({ route: 'GET /quotes/{id}/document', path: quotePath }, async ({ path, actOn }) => {
  const quote = await findQuote(path.id);
  if (!quote) throw new NotFound(`No quote ${path.id}`);
  await actOn(quote.owner, `Quote ${path.id}`, peopleNamedOn(quote));
  const document = quote.document ? await readQuoteDocument(quote.id) : undefined;
  if (!document) throw new NotFound(`Quote ${path.id} has no document yet: it is written once the quote and proposal are prepared`);
  return pdf(quote.document!.filename, document);
});

/** The internal way to complete a step, for the person or role it belongs to. */
const answerStep = async (quoteId: string, step: QuoteStep, body: Record<string, unknown>, caller: Caller) => {
  const quote = await findQuote(quoteId);
  if (!quote) throw new NotFound(`No quote ${quoteId}`);
  const open = openStepFor(quote, step, caller);
  return json(200, await completeQuoteStep(quote, open, body, caller.email, 'internal'));
};

export const completeStep = apiRoute(
  { route: 'POST /quotes/{id}/steps/{step}', path: stepPath, body: stepBody },
  ({ path, body, caller }) => answerStep(path.id, path.step, body, caller!),
);

/** R19: the customer wants a formal contract; the MD negotiates and approves it. */
export const requestContract = apiRoute(
  { route: 'POST /opportunities/{id}/contract', path: idPath, body: contractBody },
  async ({ path, body, caller, actOn }) => {
    const quote = await findQuote(body.quoteId);
    if (!quote || quote.opportunityId !== path.id) {
      throw new NotFound(`No quote ${body.quoteId} on opportunity ${path.id}`);
    }
    await actOn(quote.owner, `Quote ${quote.id}`);
    const at = new Date().toISOString();
    const executionArn = executionArnFor(quoteApprovalArn(), runName.contract(quote.id));
    await recordContractRequested(
      quote,
      { requestedBy: caller!.email, requestedAt: at, requirements: body.requirements, executionArn },
      {
        id: randomUUID(),
        at,
        actor: caller!.email,
        kind: 'contract-requested',
        summary: 'The customer requires a formal contract: to the MD for negotiation and approval',
        detail: { quoteId: quote.id },
      },
    );
    await startRun(quote, runName.contract(quote.id), { request: 'contract', quoteId: quote.id });
    return json(202, { quoteId: quote.id, executionArn }, { location: `/quotes/${quote.id}` });
  },
);

/** The quotes Lambda. */
export const handler = dispatch({
  'GET /quotes': listQuotes,
  'POST /opportunities/{id}/quotes': startQuote,
  'GET /quotes/{id}': getQuote,
  'GET /quotes/{id}/document': getQuoteDocument,
  'POST /quotes/{id}/steps/{step}': completeStep,
  'POST /opportunities/{id}/contract': requestContract,
  'GET /products': getProducts,
  'POST /products': putProduct,
});
