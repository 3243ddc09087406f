import type { PossibleDuplicate } from './lead';
import type { TimelineEntry } from './timeline';

/**
 * A new lead may be a customer we know already: the same address, or the same company (in the same
 * country, for a lead; accounts carry no country). Each lead and account leaves a marker under the
 * hash of its address and of its company, so a new lead finds them by key, never by a scan.
 */

/** Legal forms left out, so "Acme Ltd" and "ACME Limited" are one company. */
const legalForms =
  /\b(ltd|limited|plc|llc|llp|inc|incorporated|corp|corporation|co|company|gmbh|ag|kg|sa|sas|sarl|srl|spa|bv|nv|ab|as|oy)\b/gu;

/** A company's name as compared: case, accents, punctuation, spacing and legal form aside. */
export const plainCompany = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(legalForms, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** What a lead's company marker names: the plain company and the country. */
export const companyOfLead = (company: string, country: string | undefined) => `${plainCompany(company)}|${(country ?? '').toUpperCase()}`;

/** What an account's company marker names: the plain company only. */
export const companyOfAccount = (name: string) => plainCompany(name);

export interface DuplicateMark {
  kind: PossibleDuplicate['kind'];
  id: string;
  name: string;
  at: string;
}

/** The markers found that are recent enough to count, nearest first; one mention per record. */
export const possibleDuplicates = (
  found: { mark: DuplicateMark; match: PossibleDuplicate['match'] }[],
  windowDays: number,
  now: string,
  self: string,
): PossibleDuplicate[] => {
  const since = Date.parse(now) - windowDays * 86_400_000;
  const seen = new Set<string>();
  return found
    .filter(({ mark }) => mark.id !== self && Date.parse(mark.at) >= since)
    .sort((a, b) => b.mark.at.localeCompare(a.mark.at))
    .filter(({ mark }) => !seen.has(`${mark.kind}#${mark.id}`) && seen.add(`${mark.kind}#${mark.id}`))
    .map(({ mark, match }) => ({ kind: mark.kind, id: mark.id, match, name: mark.name }));
};

/** The lead's timeline says what it may duplicate, so the SM can merge it. */
export const duplicateEntry = (duplicates: readonly PossibleDuplicate[], entryId: string, at: string): TimelineEntry => ({
  id: entryId,
  at,
  actor: 'salesflow',
  kind: 'possible-duplicate',
  summary: `Possible duplicate of ${duplicates.map((d) => `${d.kind} ${d.name} (same ${d.match === 'email' ? 'address' : 'company'})`).join('; ')}`,
  detail: { duplicates },
});
