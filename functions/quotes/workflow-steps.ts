import * as z from 'zod/mini';
import '#contract/messages';
import { newAction } from '#adapters/action-records';
import { agendaPut } from '#adapters/agenda-records';
import { queueEmail } from '#adapters/email-outbox';
import { opportunityWithHistory } from '#adapters/lead-records';
import { renderQuoteDocument } from '#adapters/pdf-documents';
import {
  findQuote,
  readQuoteDocument,
  recordQuoteFailed,
  recordQuoteProgress,
  recordQuoteStepAsked,
  storeQuoteDocument,
} from '#adapters/quote-records';
import { keys } from '#adapters/table-design';
import type { EmailPurpose, OutgoingEmail } from '#domain/correspondence';
import {
  assigneeOf,
  defaultQuoteLimits,
  escalationOutcome,
  followUpNeeded,
  type OpenQuoteStep,
  type Quote,
  quoteFailure,
  quoteFollowUpAgendaItem,
  quoteStepKey,
  quoteSteps,
  stepRules,
} from '#domain/quote';
import {
  contractDecidedEmail,
  customerQuoteEmail,
  escalationEmail,
  followUpReminderEmail,
  type QuoteEmail,
  quoteLapsedEmail,
  quoteReturnedEmail,
  stepRequestEmail,
} from '#domain/quote-correspondence';
import { quoteFilename, sha256 } from '#domain/quote-document';
import { stableId } from '#domain/stable-id';
import { systemEntry } from '#domain/timeline';
import { letterhead, links, quoteLimits, quoteTeam } from '#functions/config';
import { logger } from '#functions/observability';

/**
 * The quote-approval workflow's Lambda (statemachines/quote-approval.asl.json): one function, one
 * small step per call, each reading the quote afresh. Any throw fails the task, and the state
 * machine retries it with backoff; only the named errors below mean something to the ASL.
 */

/** The quote lapsed after every chase: the run ends, on purpose (ASL: Catch "Quote.Lapsed"). */
class QuoteLapsed extends Error {
  override readonly name = 'Quote.Lapsed';
}

/** The signed document's bytes no longer match the signature (ASL: not retried). */
class DocumentChanged extends Error {
  override readonly name = 'Quote.DocumentChanged';
}

const approverPosition = z.enum(['salesDirector', 'finance', 'managingDirector']);
const task = z.enum(quoteSteps);
/** Every Payload of statemachines/quote-approval.asl.json parses with this (test/infra/workflow-charts.test.ts). */
export const stepInput = z.discriminatedUnion('step', [
  z.object({
    step: z.literal('ask'),
    quoteId: z.string(),
    task,
    approver: z.optional(approverPosition),
    taskToken: z.string().check(z.minLength(1)),
  }),
  z.object({ step: z.literal('escalate'), quoteId: z.string(), task, approver: z.optional(approverPosition) }),
  z.object({ step: z.literal('compose'), quoteId: z.string() }),
  z.object({ step: z.literal('transmit'), quoteId: z.string() }),
  z.object({ step: z.literal('follow-up'), quoteId: z.string() }),
  z.object({ step: z.literal('return-to-sm'), quoteId: z.string() }),
  z.object({ step: z.literal('contract-decided'), quoteId: z.string() }),
  z.object({ step: z.literal('fail'), quoteId: z.string(), failure: z.object({ Error: z.string(), Cause: z.optional(z.string()) }) }),
]);
export type StepInput = z.infer<typeof stepInput>;

const entry = systemEntry;

const mustFind = async (quoteId: string): Promise<Quote> => {
  const quote = await findQuote(quoteId);
  if (!quote) throw new Error(`No quote ${quoteId}`);
  return quote;
};

/**
 * Every quote email goes through the outbox (functions/mail/deliver.ts), filed with the
 * opportunity, whose timeline shows it sent or failed. Its id is stable for the step (`occasion`),
 * so a step the workflow retries queues it once.
 */
const send = async (
  email: QuoteEmail,
  purpose: EmailPurpose,
  quote: Quote,
  occasion: string,
  attachments?: OutgoingEmail['attachments'],
) => {
  const id = stableId('quote-email', quote.id, purpose, occasion);
  const { attachments: _bytes, ...message } = email;
  await queueEmail(
    keys.opportunity(quote.opportunityId).pk,
    { id, purpose, ...message, ...(attachments ? { attachments } : {}) },
    new Date().toISOString(),
  );
  logger.info('quote email queued', { quoteId: quote.id, purpose, emailId: id });
  return id;
};

const days = (n: number) => n * 24 * 60 * 60 * 1000;

const steps: { [S in StepInput['step']]: (input: Extract<StepInput, { step: S }>) => Promise<unknown> } = {
  /** A person's step: an action behind a signed link, the open step on the quote, the email. */
  ask: async (input) => {
    const quote = await mustFind(input.quoteId);
    const now = new Date();
    const limits = quoteLimits();
    const key = quoteStepKey(input.task, input.approver);
    const assignee = assigneeOf(quote, input.task, input.approver, quoteTeam());
    const { action, url } = await newAction(
      {
        subject: { kind: 'quote', id: quote.id },
        task: input.task,
        ...(input.approver ? { approver: input.approver } : {}),
        key,
        assignee,
        taskToken: input.taskToken,
      },
      limits.linkValidDays,
      now,
    );
    const open: OpenQuoteStep = {
      task: input.task,
      ...(input.approver ? { approver: input.approver } : {}),
      assignee,
      actionId: action.actionId,
      askedAt: now.toISOString(),
      // The state machine's timeout, which is built from the default (not from the setting).
      dueBy: new Date(now.getTime() + days(defaultQuoteLimits.chaseAfterDays)).toISOString(),
    };
    // The record first: a link in an inbox must always name an action that exists.
    await recordQuoteStepAsked(
      quote,
      open,
      key,
      action,
      stepRules[input.task].status,
      entry(
        'quote-step-assigned',
        `${stepRules[input.task].ask}: asked of ${assignee}`,
        { quoteId: quote.id, task: input.task },
        open.askedAt,
      ),
    );
    const email = stepRequestEmail(quote, open, url, links(), quote.escalations[key] ?? 0);
    await send({ ...email, to: [assignee] }, 'quote-step', quote, action.actionId);
    return { asked: assignee };
  },

  /** Nothing waits forever: chase, or after the last chase let the quote lapse. */
  escalate: async (input) => {
    const quote = await mustFind(input.quoteId);
    const now = new Date().toISOString();
    const key = quoteStepKey(input.task, input.approver);
    const open = quote.tasks[key];
    const { count, lapse } = escalationOutcome(quote, key, quoteLimits());
    if (lapse) {
      await recordQuoteProgress(
        quote,
        { status: 'lapsed', escalations: { ...quote.escalations, [key]: count } },
        entry('quote-lapsed', `Quote lapsed: nobody answered "${stepRules[input.task].ask}"`, { quoteId: quote.id, task: input.task }, now),
        open ? { closeStep: { key, actionId: open.actionId } } : {},
      );
      await send(quoteLapsedEmail(quote, input.task, links()), 'quote-lapsed', quote, key);
      throw new QuoteLapsed(`Quote ${quote.id} lapsed at ${input.task}`);
    }
    await recordQuoteProgress(
      quote,
      { escalations: { ...quote.escalations, [key]: count } },
      entry(
        'quote-escalated',
        `Overdue: ${stepRules[input.task].ask} (${open?.assignee ?? 'unassigned'}); chased (${count})`,
        { quoteId: quote.id, task: input.task, chase: count },
        now,
      ),
      open ? { closeStep: { key, actionId: open.actionId } } : {},
    );
    if (open)
      await send(
        escalationEmail(quote, open, quoteTeam().approvers.salesDirector, count, links()),
        'quote-escalation',
        quote,
        `${key}#${count}`,
      );
    return { chase: count };
  },

  /** R16/R17: quote and proposal become one PDF, whose SHA-256 the SM will sign. */
  compose: async (input) => {
    const quote = await mustFind(input.quoteId);
    const renderedAt = new Date().toISOString();
    const content = await renderQuoteDocument(quote, renderedAt, letterhead());
    const digest = sha256(content);
    await storeQuoteDocument(quote.id, content, digest, renderedAt);
    await recordQuoteProgress(
      quote,
      { document: { filename: quoteFilename(quote), sha256: digest, bytes: content.length, renderedAt } },
      entry(
        'quote-documents-composed',
        `Quote and proposal composed (${content.length} bytes)`,
        { quoteId: quote.id, sha256: digest },
        renderedAt,
      ),
    );
    return { sha256: digest };
  },

  /** R17: the signed bytes, exactly, to the customer; then the R18 clock starts. */
  transmit: async (input) => {
    const quote = await mustFind(input.quoteId);
    const content = await readQuoteDocument(quote.id);
    const digest = content && sha256(content);
    if (!content || !quote.signature || !quote.document || digest !== quote.signature.sha256) {
      throw new DocumentChanged(`Quote ${quote.id}: the document does not match its signature`);
    }
    if (quote.transmission) return { followUpAt: quote.transmission.followUpAt }; // a retried step sends nothing twice
    // The signed document goes as it is filed with the quote, and was just checked against the signature.
    const emailId = await send(
      customerQuoteEmail(quote, { filename: quote.document.filename, content, sha256: digest! }),
      'quote-to-customer',
      quote,
      digest!,
      [{ filename: quote.document.filename, contentType: 'application/pdf', document: 'quote', filedWith: keys.quote(quote.id).pk }],
    );
    const at = new Date();
    const followUpAt = new Date(at.getTime() + days(quoteLimits().followUpDays)).toISOString();
    await recordQuoteProgress(
      quote,
      { status: 'sent', transmission: { at: at.toISOString(), to: quote.customer.email, emailId, followUpAt } },
      entry('quote-sent', `Signed quote and proposal queued to the customer`, { quoteId: quote.id, emailId }, at.toISOString()),
    );
    return { followUpAt };
  },

  /** R18: remind the SM, unless the customer has been in touch since. */
  'follow-up': async (input) => {
    const quote = await mustFind(input.quoteId);
    const history = await opportunityWithHistory(quote.opportunityId);
    const now = new Date().toISOString();
    const due = followUpNeeded(quote, history?.timeline ?? []);
    if (due) await send(followUpReminderEmail(quote, links()), 'quote-follow-up', quote, quote.transmission?.at ?? 'sent');
    await recordQuoteProgress(
      quote,
      { followUp: { at: now, outcome: due ? 'reminded' : 'customer-answered' } },
      entry(
        'quote-follow-up',
        due ? 'No answer from the customer: SM reminded to follow up' : 'Customer in touch since the quote went out; no reminder',
        { quoteId: quote.id },
        now,
      ),
      // R18: a stale quote stays on the SM's agenda, and in the digest, until they log the follow-up.
      due ? { extra: [agendaPut(quoteFollowUpAgendaItem(quote, now), now)] } : {},
    );
    return { reminded: due };
  },

  /** R15: one rejection returns the quote to the SM with the reason. */
  'return-to-sm': async (input) => {
    const quote = await mustFind(input.quoteId);
    const rejection = [...quote.decisions].reverse().find((d) => d.task === 'approve-qpa' && d.decision === 'rejected');
    const now = new Date().toISOString();
    await recordQuoteProgress(
      quote,
      { status: 'returned' },
      entry('quote-returned', `QPA rejected; quote returned to the SM: ${rejection?.reason ?? ''}`, { quoteId: quote.id }, now),
    );
    await send(quoteReturnedEmail(quote, rejection, links()), 'quote-returned', quote, rejection?.at ?? 'returned');
    return { returned: true };
  },

  /** R19: the SM hears the MD's decision. */
  'contract-decided': async (input) => {
    const quote = await mustFind(input.quoteId);
    await send(contractDecidedEmail(quote, links()), 'contract-decided', quote, quote.contract?.decision?.at ?? 'decided');
    const now = new Date().toISOString();
    await recordQuoteProgress(
      quote,
      {},
      entry(
        'contract-decided',
        `SM told of the MD's decision: ${quote.contract?.decision?.decision ?? 'unknown'}`,
        { quoteId: quote.id },
        now,
      ),
    );
    return { told: quote.owner };
  },

  /**
   * A step kept failing: the quote shows it and why (the Catch's Cause, not just "Error"), its open
   * steps close with their links, and the run fails for the alarm.
   */
  fail: async (input) => {
    const now = new Date().toISOString();
    const failure = quoteFailure(input.failure, now);
    logger.error('quote workflow failed', { quoteId: input.quoteId, error: failure.error });
    await recordQuoteFailed(
      input.quoteId,
      failure,
      entry(
        'quote-failed',
        `The quote workflow failed: ${failure.reason}; support has been alerted`,
        { quoteId: input.quoteId, error: failure.error },
        now,
      ),
    );
    return { failed: true };
  },
};

/** Lambda: the state machine's Payload in, a small JSON result out. */
export const handler = async (event: unknown): Promise<unknown> => {
  const input = stepInput.parse(event);
  logger.debug('quote step', { quoteId: input.quoteId, step: input.step });
  return (steps[input.step] as (input: StepInput) => Promise<unknown>)(input);
};
