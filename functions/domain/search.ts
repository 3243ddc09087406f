import type { Account } from './account';
import type { Lead } from './lead';
import type { Opportunity } from './opportunity';
import type { Order } from './order';
import type { Quote } from './quote';

/**
 * Finding records by what people remember of them: a company, a person's name, an address, a PO
 * or quote number, typed from its start, with or without accents ("mul" finds "Müller").
 */

export const findableKinds = ['lead', 'opportunity', 'account', 'quote', 'order'] as const;
export type FindableKind = (typeof findableKinds)[number];

/** What a search shows of a record, and whose it is (the read rule of its GET route decides who sees it). */
export interface Findable {
  kind: FindableKind;
  id: string;
  title: string;
  subtitle: string;
  owner: string;
  /** Normalised, each one findable by any prefix of it. */
  terms: string[];
}

/** The shortest query worth answering: two characters pick one partition of the index. */
export const shortestQuery = 2;
/** A term longer than this is cut: nobody types further into a typeahead. */
const longestTerm = 60;
/** A long company name gives its first few word starts, not every one. */
const wordStartsPerField = 4;

/** NFD, combining marks gone, lower case, runs of space and punctuation (but @ . -) one space. */
export const normalise = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}@.-]+/gu, ' ')
    .trim();

/**
 * The terms of one field: the whole of it, and from each later word on ("Ann Smith" gives
 * "ann smith" and "smith"), so a search may start at any word and go on into the next.
 */
const wordStarts = (field: string | undefined): string[] => {
  const words = normalise(field ?? '')
    .split(' ')
    .filter(Boolean);
  return words.slice(0, wordStartsPerField).map((_, i) => words.slice(i).join(' ').slice(0, longestTerm));
};

/** An address is found by itself and by its domain ("acme.test" finds everyone at Acme). */
const addressTerms = (email: string | undefined): string[] => {
  const address = normalise(email ?? '').replace(/ /g, '');
  if (!address) return [];
  const domain = address.split('@')[1];
  return [address.slice(0, longestTerm), ...(domain ? [domain.slice(0, longestTerm)] : [])];
};

const termsOf = (...groups: string[][]) => [...new Set(groups.flat())].filter((term) => term.length >= shortestQuery);

const person = (contact: { name?: string; email?: string } | undefined) => [...wordStarts(contact?.name), ...addressTerms(contact?.email)];

export const findableLead = (lead: Lead): Findable => ({
  kind: 'lead',
  id: lead.id,
  title: lead.contact.company,
  subtitle: `${lead.contact.name}, ${lead.contact.email}`,
  owner: lead.owner,
  terms: termsOf(wordStarts(lead.contact.company), person(lead.contact)),
});

/** An opportunity is known by its company and by the person of the lead it came from. */
export const findableOpportunity = (opportunity: Opportunity, contact?: { name: string; email: string }): Findable => ({
  kind: 'opportunity',
  id: opportunity.id,
  title: opportunity.company,
  subtitle: contact ? contact.name : 'opportunity',
  owner: opportunity.owner,
  terms: termsOf(wordStarts(opportunity.company), person(contact)),
});

export const findableAccount = (account: Account): Findable => ({
  kind: 'account',
  id: account.id,
  title: account.name,
  subtitle: account.kind === 'distributor' ? `${account.size ? `${account.size} ` : ''}distributor` : 'customer',
  owner: account.ownerEmail,
  terms: termsOf(wordStarts(account.name), ...account.contacts.map(person)),
});

/** "Q-2026-0042" is found as typed, and by its year and sequence ("2026-0042"). */
export const findableQuote = (quote: Quote): Findable => ({
  kind: 'quote',
  id: quote.id,
  title: quote.number,
  subtitle: `${quote.customer.company}, ${quote.customer.name}`,
  owner: quote.owner,
  terms: termsOf(
    [normalise(quote.number).replace(/ /g, '-'), normalise(quote.number.replace(/^Q-/i, ''))],
    wordStarts(quote.customer.company),
    person(quote.customer),
  ),
});

export const findableOrder = (order: Order): Findable => ({
  kind: 'order',
  id: order.id,
  title: order.poNumber,
  subtitle: order.customer.name,
  owner: order.owner,
  terms: termsOf(
    [normalise(order.poNumber).replace(/ /g, '')],
    wordStarts(order.customer.name),
    person(order.userContact),
    person(order.customer.contact),
  ),
});

/** The page a hit opens. */
export const pageOf = (kind: FindableKind, id: string) => `/app/${kind}.html?id=${encodeURIComponent(id)}`;

/** The GET route whose read rule a hit of each kind passes through (functions/routes). */
export const readRouteOf = {
  lead: 'GET /leads/{id}',
  opportunity: 'GET /opportunities/{id}',
  account: 'GET /accounts/{id}',
  quote: 'GET /quotes/{id}',
  order: 'GET /orders/{id}',
} as const satisfies Record<FindableKind, string>;
