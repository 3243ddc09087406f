import { type CadenceRules, defaultCadenceRules } from '#domain/cadence';
import { defaultLetterhead, type Letterhead } from '#domain/letterhead';
import type { Territories } from '#domain/ownership';
import { type Approvers, defaultQuoteLimits, defaultVatRates, type QuoteLimits, type VatRates } from '#domain/quote';

/**
 * Settings, read from the environment. The CDK stack and the local stack both set these names;
 * nothing else tells the code where it runs. The AWS SDK finds local endpoints by itself from the
 * standard AWS_ENDPOINT_URL_<SERVICE> variables.
 */
export const settingNames = {
  tableName: 'SALESFLOW_TABLE_NAME',
  mailFrom: 'SALESFLOW_MAIL_FROM',
  appBaseUrl: 'SALESFLOW_APP_BASE_URL',
  /** Where the web forms are (CloudFront on AWS; the API's own origin locally). */
  webBaseUrl: 'SALESFLOW_WEB_BASE_URL',
  engineeringEmail: 'SALESFLOW_ENGINEERING_EMAIL',
  territories: 'SALESFLOW_TERRITORIES',
  fallbackOwner: 'SALESFLOW_FALLBACK_OWNER',
  emailMaxAttempts: 'SALESFLOW_EMAIL_MAX_ATTEMPTS',
  /** How long and how often an email is tried (JSON, any subset of defaultEmailRetry). */
  emailRetry: 'SALESFLOW_EMAIL_RETRY',
  salesAdminEmail: 'SALESFLOW_SALES_ADMIN_EMAIL',
  applicationEngineerEmail: 'SALESFLOW_APPLICATION_ENGINEER_EMAIL',
  approvers: 'SALESFLOW_APPROVERS',
  quoteLimits: 'SALESFLOW_QUOTE_LIMITS',
  /** VAT rates by the customer's country (JSON, as defaultVatRates); an unlisted country is a zero-rated export. */
  vatRates: 'SALESFLOW_VAT_RATES',
  /** The company's name, address, phone, website and VAT number atop a quote (JSON, as defaultLetterhead). */
  letterhead: 'SALESFLOW_LETTERHEAD',
  quoteApprovalArn: 'SALESFLOW_QUOTE_APPROVAL_ARN',
  productionEmail: 'SALESFLOW_PRODUCTION_EMAIL',
  sfSupportEmail: 'SALESFLOW_SF_SUPPORT_EMAIL',
  supportEmail: 'SALESFLOW_SUPPORT_EMAIL',
  customerWebsite: 'SALESFLOW_CUSTOMER_WEBSITE',
  /** Optional: where R21's support registrations are copied; empty means no external desk. */
  serviceDeskUrl: 'SALESFLOW_SERVICE_DESK_URL',
  serviceDeskMaxAttempts: 'SALESFLOW_SERVICE_DESK_MAX_ATTEMPTS',
  postShipmentArn: 'SALESFLOW_POST_SHIPMENT_ARN',
  /** R6-R8: call and visit intervals (JSON, any subset of defaultCadenceRules). */
  cadences: 'SALESFLOW_CADENCES',
} as const;

export type Settings = Record<keyof typeof settingNames, string>;

const read = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Setting ${name} is not set`);
  return value;
};

export const tableName = (): string => read(settingNames.tableName);

/** How long an unqualified suspect is kept, in months: `SALESFLOW_SUSPECT_RETENTION_MONTHS`, 24 by default. */
export const suspectRetentionMonths = (): number => {
  const months = Number(process.env.SALESFLOW_SUSPECT_RETENTION_MONTHS || 24);
  return Number.isInteger(months) && months > 0 ? months : 24;
};
/** How far back a new lead looks for the same address or company (issue 15): `SALESFLOW_DUPLICATE_WINDOW_DAYS`, 365 by default. */
export const duplicateWindowDays = (): number => {
  const days = Number(process.env.SALESFLOW_DUPLICATE_WINDOW_DAYS || 365);
  return Number.isInteger(days) && days > 0 ? days : 365;
};
export const mailFrom = (): string => read(settingNames.mailFrom);
export const links = () => ({ appBaseUrl: read(settingNames.appBaseUrl), webBaseUrl: read(settingNames.webBaseUrl) });
/** A page of the web forms, such as the lead form's thank-you page. */
export const webPage = (path: string): string => new URL(path, read(settingNames.webBaseUrl)).toString();
export const engineeringEmail = (): string => read(settingNames.engineeringEmail);
export const emailMaxAttempts = (): number => Number(process.env[settingNames.emailMaxAttempts] ?? 5);

/**
 * An email's retries: exponential backoff with jitter from `firstDelaySeconds` up to
 * `maxDelaySeconds`, for `windowHours` from when it was queued. An SES outage of hours loses nothing.
 */
export const defaultEmailRetry = { firstDelaySeconds: 30, maxDelaySeconds: 3600, windowHours: 24 };
export type EmailRetry = typeof defaultEmailRetry;
export const emailRetry = (): EmailRetry => {
  const given = JSON.parse(process.env[settingNames.emailRetry] || '{}') as Partial<Record<keyof EmailRetry, unknown>>;
  const merged = { ...defaultEmailRetry, ...given };
  for (const [name, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !(value > 0)) throw new Error(`${settingNames.emailRetry}: ${name} must be a positive number`);
  }
  return merged as EmailRetry;
};

let territoriesCache: Territories | undefined;
/** R4: which SM owns which country; JSON such as {"GB":"sm.uk@example.com"}. */
export const territories = (): Territories =>
  (territoriesCache ??= {
    byCountry: JSON.parse(process.env[settingNames.territories] ?? '{}') as Record<string, string>,
    fallbackOwner: read(settingNames.fallbackOwner),
  });

/** R14/R15: who approves QPAs; JSON such as {"salesDirector":"...","finance":"...","managingDirector":"..."}. */
export const approvers = (): Approvers => JSON.parse(read(settingNames.approvers)) as Approvers;

/** The QPA limits and the quote's clocks; any left out keep their defaults. */
export const quoteLimits = (): QuoteLimits => ({
  ...defaultQuoteLimits,
  ...(JSON.parse(process.env[settingNames.quoteLimits] ?? '{}') as Partial<QuoteLimits>),
});

/** VAT by country; a setting left out keeps the default's. */
export const vatRates = (): VatRates => {
  const given: VatRates = { ...defaultVatRates, ...(JSON.parse(process.env[settingNames.vatRates] || '{}') as Partial<VatRates>) };
  // A wrong rate would print on every quote: refuse it at cold start instead.
  const wrong = Object.entries(given.rates).filter(
    ([country, rate]) => !/^[A-Z]{2}$/.test(country) || typeof rate !== 'number' || !(rate >= 0 && rate <= 100),
  );
  if (wrong.length || !/^[A-Z]{2}$/.test(given.home)) {
    throw new Error(`${settingNames.vatRates}: rates are {"GB": 20, ...} (two capital letters, 0 to 100) and home is a country code`);
  }
  return given;
};

/** The quote's letterhead; any field left out keeps the default's. */
export const letterhead = (): Letterhead => ({
  ...defaultLetterhead,
  ...(JSON.parse(process.env[settingNames.letterhead] || '{}') as Partial<Letterhead>),
});

/** The teams a quote's steps go to. */
export const quoteTeam = () => ({
  salesAdmin: read(settingNames.salesAdminEmail),
  applicationEngineer: read(settingNames.applicationEngineerEmail),
  engineering: engineeringEmail(),
  approvers: approvers(),
});

export const quoteApprovalArn = (): string => read(settingNames.quoteApprovalArn);

/** R21-R26: the people and places an order involves besides its SM. */
export const orderTeam = () => ({
  production: read(settingNames.productionEmail),
  sfCustomerSupport: read(settingNames.sfSupportEmail),
  support: read(settingNames.supportEmail),
  engineering: engineeringEmail(),
  website: read(settingNames.customerWebsite),
  /** R26: the SM's manager, who hears of an equipment check nobody answered. */
  salesDirector: approvers().salesDirector,
});

/** R21: the external service desk's webhook, if there is one. */
export const serviceDeskUrl = (): string | undefined => process.env[settingNames.serviceDeskUrl] || undefined;
export const serviceDeskMaxAttempts = (): number => Number(process.env[settingNames.serviceDeskMaxAttempts] ?? 6);

export const postShipmentArn = (): string => read(settingNames.postShipmentArn);

/** R6-R8: the cadences; any rule left out keeps the chart's, down to each kind of account. */
export const cadenceRules = (): CadenceRules => {
  const given = JSON.parse(process.env[settingNames.cadences] || '{}') as {
    smCall?: Partial<CadenceRules['smCall']>;
    smVisit?: Partial<CadenceRules['smVisit']>;
    visitAgenda?: string[];
  };
  const rules: CadenceRules = {
    smCall: { ...defaultCadenceRules.smCall, ...given.smCall },
    smVisit: { ...defaultCadenceRules.smVisit, ...given.smVisit },
    visitAgenda: given.visitAgenda ?? defaultCadenceRules.visitAgenda,
  };
  for (const every of [...Object.values(rules.smCall), ...Object.values(rules.smVisit)]) {
    const ok = ('days' in every && every.days > 0) || ('months' in every && every.months > 0);
    if (!ok) throw new Error(`Setting ${settingNames.cadences}: each interval is {"days": n} or {"months": n}`);
  }
  return rules;
};
