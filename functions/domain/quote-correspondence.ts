import { money } from '#domain/money';
import { escapeHtml, htmlPage, type Links, pageUrl } from './correspondence';
import { approverTitles, type Decision, type OpenQuoteStep, type Quote, type QuoteStep, stepRules } from './quote';

/**
 * The emails of the quote workflow (R14-R19). They are sent by the workflow's own steps, which
 * Step Functions retries with backoff, so a failing mail service delays a quote, never loses it.
 */

export interface QuoteEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
}

const quoteUrl = (quote: Pick<Quote, 'id'>, links: Links) => pageUrl(links, 'quote', quote.id);

const stepName = (open: Pick<OpenQuoteStep, 'task' | 'approver'>) =>
  open.approver ? `${stepRules[open.task].ask} (${approverTitles[open.approver]})` : stepRules[open.task].ask;

/** A person's step: what to do, and the signed link that does it. */
export const stepRequestEmail = (
  quote: Quote,
  open: Pick<OpenQuoteStep, 'task' | 'approver' | 'dueBy'>,
  actionUrl: string,
  links: Links,
  chase: number,
): QuoteEmail => {
  const ask = stepName(open);
  const facts = [
    `Quote: ${quote.number}`,
    `Customer: ${quote.customer.company}`,
    `Total: ${money(quote.totals.netGbp)} net (list ${money(quote.totals.listGbp)})`,
    ...(quote.qpa.applies ? [`QPA because of ${quote.qpa.reasons.join('; ')}`] : []),
    `Sales manager: ${quote.owner}`,
    `Please answer by ${open.dueBy.slice(0, 16).replace('T', ' ')} UTC`,
  ];
  return {
    to: [],
    subject: `${chase ? 'Reminder: ' : ''}${ask}: ${quote.customer.company}, ${quote.number}`,
    text: `${ask}.\n\n${facts.join('\n')}\n\nOpen the link to see the quote and answer (it works once): ${actionUrl}\n\nSigned in? ${quoteUrl(quote, links)}\n`,
    html: htmlPage([
      `<strong>${escapeHtml(ask)}</strong>`,
      facts.map(escapeHtml).join('<br>'),
      `<a href="${escapeHtml(actionUrl)}">See the quote and answer</a> (the link works once)`,
    ]),
  };
};

/** Nothing waits silently: the SM and the sales director hear that a step is overdue. */
export const escalationEmail = (
  quote: Quote,
  open: Pick<OpenQuoteStep, 'task' | 'approver' | 'assignee' | 'askedAt'>,
  salesDirector: string,
  chase: number,
  links: Links,
): QuoteEmail => {
  const ask = stepName(open);
  const text = `${open.assignee} has not answered "${ask}" for ${quote.customer.company} since ${open.askedAt.slice(0, 10)}. They have been asked again (chase ${chase}).`;
  return {
    to: [...new Set([quote.owner, salesDirector])],
    subject: `Overdue: ${ask} for ${quote.customer.company}, ${quote.number}`,
    text: `${text}\n\n${quoteUrl(quote, links)}\n`,
    html: htmlPage([escapeHtml(text), `<a href="${escapeHtml(quoteUrl(quote, links))}">Open the quote</a>`]),
  };
};

/** R15: a single rejection sends the quote back to the SM, with the reason. */
export const quoteReturnedEmail = (quote: Quote, rejection: Decision | undefined, links: Links): QuoteEmail => {
  const who = rejection?.approver ? approverTitles[rejection.approver] : 'An approver';
  const reason = rejection?.reason ?? 'no reason given';
  return {
    to: [quote.owner],
    subject: `QPA rejected: ${quote.customer.company}, ${quote.number}`,
    text: `${who} (${rejection?.by ?? 'unknown'}) rejected the QPA for quote ${quote.number}.\n\nReason: ${reason}\n\nRevise the quote and submit a new one: ${quoteUrl(quote, links)}\n`,
    html: htmlPage([
      `${escapeHtml(who)} (${escapeHtml(rejection?.by ?? 'unknown')}) rejected the QPA for quote ${escapeHtml(quote.number)}.`,
      `Reason: ${escapeHtml(reason)}`,
      `<a href="${escapeHtml(quoteUrl(quote, links))}">Open the quote</a>`,
    ]),
  };
};

/** R17: the signed quote and proposal go to the customer, the PDF attached. */
export const customerQuoteEmail = (quote: Quote, document: { filename: string; content: Uint8Array; sha256: string }): QuoteEmail => {
  const name = quote.customer.name;
  const lines = [
    `Thank you for the opportunity to quote. Attached are our quotation and technical proposal, ${money(quote.totals.netGbp)} excluding VAT (${quote.totals.vat ? `${money(quote.totals.grossGbp)} with ${quote.totals.vat.ratePercent ? `VAT at ${quote.totals.vat.ratePercent}%` : 'no VAT: zero-rated export'}` : 'VAT as applicable'}), valid for ${quote.request.validForDays} days. Please quote ${quote.number} in any reply or order.`,
    quote.request.proposalSummary,
    `Signed electronically by ${quote.signature?.signer ?? quote.owner} on ${quote.signature?.signedAt.slice(0, 10) ?? ''}; document SHA-256 ${document.sha256}.`,
    `Questions? Reply to ${quote.owner}.`,
  ];
  return {
    to: [quote.customer.email],
    subject: `Your quotation ${quote.number} from salesflow: ${quote.customer.company}`,
    text: `Dear ${name},\n\n${lines.join('\n\n')}\n`,
    html: htmlPage([`Dear ${escapeHtml(name)},`, ...lines.map(escapeHtml)]),
    attachments: [{ filename: document.filename, contentType: 'application/pdf', content: document.content }],
  };
};

/** R18: the customer has not answered; the SM follows up. */
export const followUpReminderEmail = (quote: Quote, links: Links): QuoteEmail => {
  const text = `${quote.customer.company} has not answered quote ${quote.number} sent on ${quote.transmission?.at.slice(0, 10)}. Time for a follow-up call or visit: review the proposal and quote, confirm needs and timing, contact the buying influences.`;
  return {
    to: [quote.owner],
    subject: `Follow up your quote ${quote.number}: ${quote.customer.company}`,
    text: `${text}\n\nLog the call on the opportunity: ${pageUrl(links, 'opportunity', quote.opportunityId)}\n`,
    html: htmlPage([escapeHtml(text), `<a href="${escapeHtml(quoteUrl(quote, links))}">Open the quote</a>`]),
  };
};

export const quoteLapsedEmail = (quote: Quote, task: QuoteStep, links: Links): QuoteEmail => {
  const text = `Quote ${quote.number} for ${quote.customer.company} lapsed: nobody answered "${stepRules[task].ask}" after every reminder. Submit it again when the approvers are available.`;
  return {
    to: [quote.owner],
    subject: `Quote lapsed: ${quote.customer.company}, ${quote.number}`,
    text: `${text}\n\n${quoteUrl(quote, links)}\n`,
    html: htmlPage([escapeHtml(text), `<a href="${escapeHtml(quoteUrl(quote, links))}">Open the quote</a>`]),
  };
};

/** R19: the MD's decision on a formal contract, to the SM. */
export const contractDecidedEmail = (quote: Quote, links: Links): QuoteEmail => {
  const decision = quote.contract?.decision;
  const text = `The MD ${decision?.decision ?? 'decided on'} the formal contract for ${quote.customer.company} (quote ${quote.number})${decision?.reason ? `: ${decision.reason}` : '.'}${decision?.terms ? `\n\nTerms: ${decision.terms}` : ''}`;
  return {
    to: [quote.owner],
    subject: `Contract ${decision?.decision ?? 'decided'}: ${quote.customer.company}`,
    text: `${text}\n\n${quoteUrl(quote, links)}\n`,
    html: htmlPage([escapeHtml(text), `<a href="${escapeHtml(quoteUrl(quote, links))}">Open the quote</a>`]),
  };
};
