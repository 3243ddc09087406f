import type { StoredAction } from '#adapters/action-records';
import { findQuote } from '#adapters/quote-records';
import { Gone } from '#domain/errors';
import { money } from '#domain/money';
import { approverTitles, type OpenQuoteStep, type Quote, stepRules } from '#domain/quote';
import { fieldsOf, type LinkStep, type StepView } from '#functions/actions/step-page';
import { completeQuoteStep } from './complete-step';
import { stepBodies } from './schemas';

/** R15-R17, R19: a quote's step, as its emailed link shows and answers it. */

export const quoteStepView = (quote: Quote, open: OpenQuoteStep, expiresAt: Date): StepView => ({
  ask: open.approver ? `${stepRules[open.task].ask} (${approverTitles[open.approver]})` : stepRules[open.task].ask,
  about: {
    kind: 'quote',
    id: quote.id,
    title: `Quote ${quote.number} for ${quote.customer.company}`,
    facts: [
      `${money(quote.totals.netGbp)} net (list ${money(quote.totals.listGbp)}), from ${quote.owner}.`,
      ...(quote.totals.vat
        ? [
            `${money(quote.totals.grossGbp)} with VAT (${quote.totals.vat.ratePercent ? `${quote.totals.vat.ratePercent}%, ${quote.totals.vat.country}` : `zero-rated export, ${quote.totals.vat.country}`}).`,
          ]
        : []),
      ...(quote.qpa.reasons.length ? [`QPA because of ${quote.qpa.reasons.join('; ')}.`] : []),
      quote.request.proposalSummary,
      ...(quote.document ? [`Document SHA-256: ${quote.document.sha256} (${quote.document.bytes} bytes)`] : []),
    ],
    lines: quote.request.lines.map((l) => ({
      quantity: l.quantity,
      item: `${l.sku} ${l.description}`,
      unit: l.unitPriceGbp,
      discountPercent: l.discountPercent,
    })),
  },
  assignee: open.assignee,
  expiresAt: expiresAt.toISOString(),
  fields: fieldsOf(stepBodies[open.task]),
});

export const quoteLinkStep = async (action: StoredAction, expiresAt: Date): Promise<LinkStep> => {
  const quote = await findQuote(action.subject.id);
  const open = quote?.tasks[action.key];
  if (!quote || open?.actionId !== action.actionId) throw new Gone('This step is no longer waiting for an answer');
  // A quote that failed before its steps were closed with it still lists them: none is answerable.
  if (quote.status === 'failed') throw new Gone('The workflow of this quote has failed; its steps are closed');
  return {
    view: quoteStepView(quote, open, expiresAt),
    complete: async (body, by) => {
      const done = await completeQuoteStep(quote, open, body, by, 'link');
      return { outcome: done.decision, result: done };
    },
  };
};
