import type { LiteratureCode } from './literature';
import { responseInWords } from './response-words';
import type { TimelineEntry } from './timeline';

/** R3: how the response arrived. */
export const leadChannels = ['bingo-card', 'email', 'phone', 'business-card', 'web-form'] as const;
/** R3: where the interest came from. */
export const leadSources = ['marketing-campaign', 'distributor-contact', 'se-phone-call', 'product-support', 'prior-contact'] as const;
/**
 * R5: a lead is a suspect until the SM qualifies it into a prospect; or the SM decides it is none
 * (disqualified), or folds it into another lead of the same customer (merged).
 */
export const leadStatuses = ['suspect', 'prospect', 'disqualified', 'merged'] as const;

export type LeadChannel = (typeof leadChannels)[number];
export type LeadSource = (typeof leadSources)[number];
export type LeadStatus = (typeof leadStatuses)[number];

export interface Contact {
  name: string;
  email: string;
  company: string;
  phone?: string;
  country?: string;
}

export interface CustomerResponse {
  channel: LeadChannel;
  source: LeadSource;
  campaignId?: string;
  distributorId?: string;
  contact: Contact;
  interest?: { products?: string[]; message?: string };
  literature?: LiteratureCode[];
}

/** Leads brought in from another CRM's export (POST /imports): never a channel the lead form offers. */
export const importedChannel = 'crm-import';

export interface Lead extends Omit<CustomerResponse, 'channel'> {
  channel: LeadChannel | typeof importedChannel;
  /** The import that brought it in, if one did. */
  importId?: string;
  id: string;
  status: LeadStatus;
  /** The owning SM's email (R4, R5). */
  owner: string;
  createdAt: string;
  updatedAt: string;
  opportunityId?: string;
  /** Why the SM decided it is no lead (status disqualified). */
  disqualification?: { reason: string; by: string; at: string };
  /** The lead this one was merged into (status merged): its history is read with that lead's. */
  mergedInto?: string;
  /** Leads merged into this one, oldest first. */
  mergedFrom?: string[];
  /** Leads and accounts of the same customer, found by address or company when it came in. */
  possibleDuplicates?: PossibleDuplicate[];
}

export interface PossibleDuplicate {
  kind: 'lead' | 'account';
  id: string;
  /** What matched: the contact's address, or the company's name (and country, for a lead). */
  match: 'email' | 'company';
  name: string;
}

export interface LoggedLead {
  lead: Lead;
  entry: TimelineEntry;
}

/** R3/R4/R5: a customer response becomes a suspect with its source, owner and first timeline entry. */
export const logResponse = (
  response: CustomerResponse,
  ids: { leadId: string; entryId: string },
  owner: string,
  now: string,
): LoggedLead => ({
  lead: {
    ...response,
    literature: response.literature ?? [],
    id: ids.leadId,
    status: 'suspect',
    owner,
    createdAt: now,
    updatedAt: now,
  },
  entry: {
    id: ids.entryId,
    at: now,
    actor: response.contact.email,
    kind: 'lead-logged',
    channel: response.channel,
    summary: `Response by ${responseInWords(response.channel)} from ${response.contact.company} (${responseInWords(response.source)}); owner ${owner}`,
    detail: {
      source: response.source,
      ...(response.campaignId ? { campaignId: response.campaignId } : {}),
      ...(response.distributorId ? { distributorId: response.distributorId } : {}),
    },
  },
});
