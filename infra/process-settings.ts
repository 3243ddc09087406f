import { type CadenceRules, defaultCadenceRules } from '#domain/cadence';
import { defaultLetterhead, type Letterhead } from '#domain/letterhead';
import { type Approvers, defaultQuoteLimits, defaultVatRates, type QuoteLimits, type VatRates } from '#domain/quote';
import { defaultEmailRetry } from '#functions/config';

/**
 * The business settings both places start from: who the mail comes from, which SM owns which
 * territory, where Engineering is reached. The CDK stack takes overrides from the stage's file
 * (infra/stages/<stage>.json); the local stack from the environment.
 */
export const processSettingDefaults = {
  mailFrom: 'sales@salesflow.example',
  engineeringEmail: 'engineering@salesflow.example',
  fallbackOwner: 'sales.manager@salesflow.example',
  territories: {
    GB: 'sm.uk@salesflow.example',
    IE: 'sm.uk@salesflow.example',
    DE: 'sm.dach@salesflow.example',
    AT: 'sm.dach@salesflow.example',
    CH: 'sm.dach@salesflow.example',
    FR: 'sm.france@salesflow.example',
    US: 'sm.americas@salesflow.example',
  } as Record<string, string>,
  emailMaxAttempts: 5,
  /** How long and how often an email is tried: see defaultEmailRetry in functions/config.ts. */
  emailRetry: defaultEmailRetry,
  salesAdminEmail: 'sales.admin@salesflow.example',
  applicationEngineerEmail: 'application.engineering@salesflow.example',
  /** R15: the approval matrix's people. */
  approvers: {
    salesDirector: 'sales.director@salesflow.example',
    finance: 'finance@salesflow.example',
    managingDirector: 'md@salesflow.example',
  } satisfies Approvers,
  /** R14/R18: QPA limits, follow-up and link clocks (see defaultQuoteLimits). */
  quoteLimits: { ...defaultQuoteLimits } as QuoteLimits,
  /** VAT by the customer's country; an unlisted country is a zero-rated export. */
  vatRates: { ...defaultVatRates } as VatRates,
  /** Atop every quote: the company, its address, phone, website and VAT number. */
  letterhead: { ...defaultLetterhead } as Letterhead,
  /** R23/R24: who prints and packs, who hands SF customers their logins, who supports customers. */
  productionEmail: 'production@salesflow.example',
  sfSupportEmail: 'sf.support@salesflow.example',
  supportEmail: 'support@salesflow.example',
  customerWebsite: 'https://customers.salesflow.example',
  /** R21: an external service desk's webhook for support registrations; empty for none. */
  serviceDeskUrl: '',
  serviceDeskMaxAttempts: 6,
  /** R6-R8: call and visit intervals; the chart's by default. */
  cadences: { ...defaultCadenceRules } as CadenceRules,
};

export type ProcessSettings = typeof processSettingDefaults;
