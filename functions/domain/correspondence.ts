import type { Lead } from './lead';
import { literatureCatalogue } from './literature';
import type { Opportunity } from './opportunity';
import { responseInWords } from './response-words';

/**
 * The emails the process sends, composed as plain data. They are queued with the record that
 * causes them (the outbox) and delivered afterwards, so a failing mail service never loses a lead.
 */
export const emailPurposes = [
  'literature',
  'acknowledgement',
  'owner-advice',
  'engineering-referral',
  'engineering-advice',
  'order-acknowledgement',
  'welcome-letter',
  'packing-list',
  'sf-login',
  'delivery-check',
  'delivery-problem',
  'sm-reminder',
  'equipment-check',
  'pleased-to-serve',
  'corrective-action',
  'follow-up-escalation',
  'digest',
  'campaign-material',
  'quote-step',
  'quote-escalation',
  'quote-lapsed',
  'quote-to-customer',
  'quote-follow-up',
  'quote-returned',
  'contract-decided',
  'reassignment',
] as const;

/** Bulk mail: never sent to an address that unsubscribed, bounced or complained. */
export const bulkPurposes: readonly EmailPurpose[] = ['campaign-material'];
export type EmailPurpose = (typeof emailPurposes)[number];

export interface OutgoingEmail {
  id: string;
  purpose: EmailPurpose;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Documents filed with the same record (by name), or with `filedWith`'s, attached when the email goes. */
  attachments?: { filename: string; contentType: string; document: string; filedWith?: string }[];
  /** R2: bulk mail's own unsubscribe link, also in its List-Unsubscribe header (one click, RFC 8058). */
  unsubscribeUrl?: string;
}

export interface Links {
  /** Where emailed links are answered: the API's own pages (/actions, /unsubscribe). */
  appBaseUrl: string;
  /** Where the web forms are: the internal pages a signed-in person opens. */
  webBaseUrl: string;
}

/** The internal page of a record, for people who sign in; never in an email to an outsider. */
export const pageUrl = (links: Links, page: 'lead' | 'opportunity' | 'quote' | 'order' | 'agenda' | 'account', id?: string): string =>
  new URL(`/app/${page}.html${id ? `?id=${encodeURIComponent(id)}` : ''}`, links.webBaseUrl).toString();

/** Every piece of user text goes through this before it touches HTML. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain HTML email: each paragraph is already escaped or is our own markup. */
export const htmlPage = (paragraphs: string[]): string =>
  `<!doctype html><html><body>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`;

/** R4: respond to the customer with the literature asked for, or a plain acknowledgement. */
export const customerResponseEmail = (lead: Lead, emailId: string, links: Links): OutgoingEmail => {
  const items = (lead.literature ?? []).map((code) => ({
    title: literatureCatalogue[code].title,
    url: new URL(literatureCatalogue[code].path, links.webBaseUrl).toString(),
  }));
  // Anyone can type anyone's address into the public form: the first email to it says nothing the
  // submitter wrote (no name, no company, no message) and links only to our literature (issue 13).
  const greeting = 'Hello,';
  if (items.length === 0) {
    return {
      id: emailId,
      purpose: 'acknowledgement',
      to: [lead.contact.email],
      subject: 'Thank you for your interest',
      text: `${greeting}\n\nThank you for getting in touch. Your sales manager will contact you shortly.\n`,
      html: htmlPage([greeting, 'Thank you for getting in touch. Your sales manager will contact you shortly.']),
    };
  }
  return {
    id: emailId,
    purpose: 'literature',
    to: [lead.contact.email],
    subject: 'The information you requested',
    text:
      `${greeting}\n\nThank you for your interest. Here is the information you asked for:\n` +
      items.map((item) => `- ${item.title}: ${item.url}`).join('\n') +
      '\n\nYour sales manager will contact you shortly.\n',
    html: htmlPage([
      greeting,
      'Thank you for your interest. Here is the information you asked for:',
      `<ul>${items.map((item) => `<li><a href="${escapeHtml(item.url)}">${escapeHtml(item.title)}</a></li>`).join('')}</ul>`,
      'Your sales manager will contact you shortly.',
    ]),
  };
};

/** R4: advise the owning SM of a new lead. */
export const ownerAdviceEmail = (lead: Lead, emailId: string, links: Links): OutgoingEmail => {
  const url = pageUrl(links, 'lead', lead.id);
  const c = lead.contact;
  const facts: [string, string | undefined][] = [
    ['Company', c.company],
    ['Contact', c.name],
    ['Email', c.email],
    ['Phone', c.phone],
    ['Country', c.country],
    ['Came in by', responseInWords(lead.channel)],
    ['Source', responseInWords(lead.source)],
    ['Products', lead.interest?.products?.join(', ')],
    ['Message', lead.interest?.message],
    ['Literature sent', lead.literature?.map((code) => literatureCatalogue[code].title).join(', ')],
  ];
  const present = facts.filter((f): f is [string, string] => Boolean(f[1]));
  return {
    id: emailId,
    purpose: 'owner-advice',
    to: [lead.owner],
    subject: `New lead: ${c.company}`,
    text: `A new lead is yours to develop.\n\n${present.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\nOpen it: ${url}\n`,
    html: htmlPage([
      'A new lead is yours to develop.',
      `<table>${present.map(([k, v]) => `<tr><th align="left">${k}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
      `<a href="${escapeHtml(url)}">Open the lead</a>`,
    ]),
  };
};

/** R10: Engineering is asked to review a non-standard or large opportunity. */
export const engineeringReferralEmail = (opportunity: Opportunity, emailId: string, engineering: string, links: Links): OutgoingEmail => {
  const url = pageUrl(links, 'opportunity', opportunity.id);
  const reasons = opportunity.engineeringReview.reasons.join('; ');
  return {
    id: emailId,
    purpose: 'engineering-referral',
    to: [engineering],
    subject: `Engineering review requested: ${opportunity.company}`,
    text: `${opportunity.owner} asks Engineering to review an opportunity.\n\nWhy: ${reasons}\n\nOpen it: ${url}\n`,
    html: htmlPage([
      `${escapeHtml(opportunity.owner)} asks Engineering to review an opportunity.`,
      `Why: ${escapeHtml(reasons)}`,
      `<a href="${escapeHtml(url)}">Open the opportunity</a>`,
    ]),
  };
};

/** R10: Engineering's advice goes back to the SM. */
export const engineeringAdviceEmail = (
  opportunity: Opportunity,
  advice: { by: string; recommendation: string; advice: string },
  emailId: string,
  links: Links,
): OutgoingEmail => {
  const url = pageUrl(links, 'opportunity', opportunity.id);
  return {
    id: emailId,
    purpose: 'engineering-advice',
    to: [opportunity.owner],
    subject: `Engineering advice: ${opportunity.company} (${advice.recommendation})`,
    text: `${advice.by} reviewed the opportunity: ${advice.recommendation}.\n\n${advice.advice}\n\nOpen it: ${url}\n`,
    html: htmlPage([
      `${escapeHtml(advice.by)} reviewed the opportunity: <strong>${escapeHtml(advice.recommendation)}</strong>.`,
      escapeHtml(advice.advice),
      `<a href="${escapeHtml(url)}">Open the opportunity</a>`,
    ]),
  };
};
