import * as z from 'zod/mini';
import '#contract/messages';
import { type CadenceRules, defaultCadenceRules, type Every } from '#domain/cadence';
import { defaultLetterhead, type Letterhead } from '#domain/letterhead';
import { type Approvers, defaultQuoteLimits, defaultVatRates, type QuoteLimits, type VatRates } from '#domain/quote';

/**
 * Every setting, declared once: the environment variable the CDK stack and the local stack set and
 * the functions read, how its text is checked, and its default. The stacks, the handler tests and
 * functions/config.ts all derive from this table; nothing else lists the names.
 */
export interface Setting<Value> {
  readonly variable: `SALESFLOW_${string}`;
  /** The variable's text as a value; a bad one throws, naming the variable. */
  readonly parse: (text: string) => Value;
  /** The value as the variable's text. */
  readonly format: (value: Value) => string;
  /** What a function reads when the variable is unset or empty; without it, the function refuses to run. */
  readonly whenUnset?: Value;
}

const refused = (variable: string, why: string) => new Error(`Setting ${variable}: ${why}`);

const checked = <Value>(variable: string, schema: z.ZodMiniType<Value>, given: unknown): Value => {
  const result = z.safeParse(schema, given);
  if (result.success) return result.data;
  throw refused(variable, result.error.issues.map((issue) => `${issue.path.join('.') || 'the value'}: ${issue.message}`).join('; '));
};

const text = <Extra extends { default?: string; whenUnset?: string }>(variable: `SALESFLOW_${string}`, extra?: Extra) => ({
  variable,
  parse: (given: string) => given,
  format: (value: string) => value,
  ...(extra as Extra),
});

/** A whole number above zero: attempts, months, days. */
const count = <Extra extends { default?: number; whenUnset?: number }>(variable: `SALESFLOW_${string}`, extra: Extra) => ({
  variable,
  parse: (given: string) => checked(variable, z.int().check(z.positive()), Number(given)),
  format: (value: number) => String(value),
  ...extra,
});

/** JSON, checked by `schema`; `complete` fills in what the text leaves out (from the setting's defaults). */
const json = <Given, Value, Extra extends { default?: Value; whenUnset?: Value }>(
  variable: `SALESFLOW_${string}`,
  schema: z.ZodMiniType<Given>,
  complete: (given: Given) => Value,
  extra: Extra,
) => ({
  variable,
  parse: (given: string): Value => {
    let decoded: unknown;
    try {
      decoded = JSON.parse(given);
    } catch (error) {
      throw refused(variable, `not JSON (${(error as Error).message})`);
    }
    return complete(checked(variable, schema, decoded));
  },
  format: (value: Value) => JSON.stringify(value),
  ...extra,
});

const positive = () => z.number().check(z.positive());
const limit = () => z.number().check(z.nonnegative());
const countryCode = () => z.string().check(z.regex(/^[A-Z]{2}$/, 'two capital letters, a country code'));
const every: z.ZodMiniType<Every> = z.union([z.object({ days: positive() }), z.object({ months: positive() })]);

/**
 * An email's retries: exponential backoff with jitter from `firstDelaySeconds` up to
 * `maxDelaySeconds`, for `windowHours` from when it was queued. An SES outage of hours loses nothing.
 */
export const defaultEmailRetry = { firstDelaySeconds: 30, maxDelaySeconds: 3600, windowHours: 24 };
export type EmailRetry = typeof defaultEmailRetry;

/** What the stack itself provides: its table, where its links point, its state machines. */
const provided = {
  tableName: text('SALESFLOW_TABLE_NAME'),
  appBaseUrl: text('SALESFLOW_APP_BASE_URL'),
  /** Where the web forms are (CloudFront on AWS; the API's own origin locally). */
  webBaseUrl: text('SALESFLOW_WEB_BASE_URL'),
  quoteApprovalArn: text('SALESFLOW_QUOTE_APPROVAL_ARN'),
  postShipmentArn: text('SALESFLOW_POST_SHIPMENT_ARN'),
};

/**
 * The business settings: who the mail comes from, which SM owns which territory, where Engineering
 * is reached. The defaults are placeholders at .example, refused outside dev (infra/stages.ts).
 */
const business = {
  mailFrom: text('SALESFLOW_MAIL_FROM', { default: 'sales@salesflow.example' }),
  engineeringEmail: text('SALESFLOW_ENGINEERING_EMAIL', { default: 'engineering@salesflow.example' }),
  fallbackOwner: text('SALESFLOW_FALLBACK_OWNER', { default: 'sales.manager@salesflow.example' }),
  /** R4: which SM owns which country; unset, every lead goes to the fallback owner. */
  territories: json('SALESFLOW_TERRITORIES', z.record(z.string(), z.string()), (given): Record<string, string> => given, {
    default: {
      GB: 'sm.uk@salesflow.example',
      IE: 'sm.uk@salesflow.example',
      DE: 'sm.dach@salesflow.example',
      AT: 'sm.dach@salesflow.example',
      CH: 'sm.dach@salesflow.example',
      FR: 'sm.france@salesflow.example',
      US: 'sm.americas@salesflow.example',
    },
    whenUnset: {},
  }),
  /** How many refusals of the email itself (not SES outages) before the outbox gives up on it. */
  emailMaxAttempts: count('SALESFLOW_EMAIL_MAX_ATTEMPTS', { default: 5, whenUnset: 5 }),
  /** How long and how often an email is tried: any subset of defaultEmailRetry. */
  emailRetry: json(
    'SALESFLOW_EMAIL_RETRY',
    z.partial(z.object({ firstDelaySeconds: positive(), maxDelaySeconds: positive(), windowHours: positive() })),
    (given): EmailRetry => ({ ...defaultEmailRetry, ...given }),
    { default: defaultEmailRetry, whenUnset: defaultEmailRetry },
  ),
  salesAdminEmail: text('SALESFLOW_SALES_ADMIN_EMAIL', { default: 'sales.admin@salesflow.example' }),
  applicationEngineerEmail: text('SALESFLOW_APPLICATION_ENGINEER_EMAIL', { default: 'application.engineering@salesflow.example' }),
  /** R14/R15: who approves QPAs. */
  approvers: json(
    'SALESFLOW_APPROVERS',
    z.object({ salesDirector: z.string(), finance: z.string(), managingDirector: z.string() }),
    (given): Approvers => given,
    {
      default: {
        salesDirector: 'sales.director@salesflow.example',
        finance: 'finance@salesflow.example',
        managingDirector: 'md@salesflow.example',
      },
    },
  ),
  /** R14/R18: the QPA limits, follow-up and link clocks; any left out keep defaultQuoteLimits'. */
  quoteLimits: json(
    'SALESFLOW_QUOTE_LIMITS',
    z.partial(
      z.object({
        standardDiscountPercent: limit(),
        deepDiscountPercent: limit(),
        qpaTotalGbp: limit(),
        engineeringReviewGbp: limit(),
        followUpDays: limit(),
        linkValidDays: limit(),
        maxEscalations: limit(),
        chaseAfterDays: limit(),
      }),
    ),
    (given): QuoteLimits => ({ ...defaultQuoteLimits, ...given }),
    { default: defaultQuoteLimits, whenUnset: defaultQuoteLimits },
  ),
  /** VAT by the customer's country; an unlisted country is a zero-rated export. A wrong rate would print on every quote. */
  vatRates: json(
    'SALESFLOW_VAT_RATES',
    z.partial(z.object({ rates: z.record(countryCode(), z.number().check(z.gte(0), z.lte(100))), home: countryCode() })),
    (given): VatRates => ({ ...defaultVatRates, ...given }),
    { default: defaultVatRates, whenUnset: defaultVatRates },
  ),
  /** Atop every quote: the company, its address, phone, website and VAT number; any field left out keeps the default's. */
  letterhead: json(
    'SALESFLOW_LETTERHEAD',
    z.partial(
      z.object({
        companyName: z.string(),
        addressLines: z.array(z.string()),
        phone: z.string(),
        website: z.string(),
        vatNumber: z.string(),
      }),
    ),
    (given): Letterhead => ({ ...defaultLetterhead, ...given }),
    { default: defaultLetterhead, whenUnset: defaultLetterhead },
  ),
  /** R23/R24: who prints and packs, who hands SF customers their logins, who supports customers. */
  productionEmail: text('SALESFLOW_PRODUCTION_EMAIL', { default: 'production@salesflow.example' }),
  sfSupportEmail: text('SALESFLOW_SF_SUPPORT_EMAIL', { default: 'sf.support@salesflow.example' }),
  supportEmail: text('SALESFLOW_SUPPORT_EMAIL', { default: 'support@salesflow.example' }),
  customerWebsite: text('SALESFLOW_CUSTOMER_WEBSITE', { default: 'https://customers.salesflow.example' }),
  /** R21: an external service desk's webhook for support registrations; empty for none. */
  serviceDeskUrl: text('SALESFLOW_SERVICE_DESK_URL', { default: '', whenUnset: '' }),
  serviceDeskMaxAttempts: count('SALESFLOW_SERVICE_DESK_MAX_ATTEMPTS', { default: 6, whenUnset: 6 }),
  /** R6-R8: call and visit intervals; any rule left out keeps the chart's, down to each kind of account. */
  cadences: json(
    'SALESFLOW_CADENCES',
    z.partial(
      z.object({
        smCall: z.partial(z.object({ largeDistributor: every, smallDistributor: every, selectedCustomer: every })),
        smVisit: z.partial(z.object({ largeDistributor: every, smallDistributor: every })),
        visitAgenda: z.array(z.string()),
      }),
    ),
    (given): CadenceRules => ({
      smCall: { ...defaultCadenceRules.smCall, ...given.smCall },
      smVisit: { ...defaultCadenceRules.smVisit, ...given.smVisit },
      visitAgenda: given.visitAgenda ?? defaultCadenceRules.visitAgenda,
    }),
    { default: defaultCadenceRules, whenUnset: defaultCadenceRules },
  ),
} satisfies Record<string, { default: unknown }>;

/**
 * Read by the functions with a fallback, but set by neither stack: every variable counts against
 * Lambda's 4 KB environment (DEPLOY.md).
 */
const tuning = {
  /** How long an unqualified suspect is kept, in months. */
  suspectRetentionMonths: count('SALESFLOW_SUSPECT_RETENTION_MONTHS', { whenUnset: 24 }),
  /** How far back a new lead looks for the same address or company (issue 15). */
  duplicateWindowDays: count('SALESFLOW_DUPLICATE_WINDOW_DAYS', { whenUnset: 365 }),
};

export const settings = { ...provided, ...business, ...tuning };

type ValueOf<S> = S extends { parse: (text: string) => infer Value } ? Value : never;

/** The business settings' values, as a stage's file gives them (infra/stages/<stage>.json). */
export type BusinessSettings = { [Name in keyof typeof business]: ValueOf<(typeof business)[Name]> };
/** What the stack provides itself, as text (a CDK token on AWS). */
export type ProvidedSettings = Record<keyof typeof provided, string>;
/** Every variable both stacks set, by setting, as text. */
export type SettingTexts = Record<keyof typeof provided | keyof typeof business, string>;

const businessNames = Object.keys(business) as (keyof typeof business)[];

/** A fresh copy of every business setting's default. */
export const businessDefaults = (): BusinessSettings =>
  structuredClone(Object.fromEntries(businessNames.map((name) => [name, business[name].default]))) as unknown as BusinessSettings;

/**
 * The business settings a local environment gives (any left out keep their defaults), checked, so a
 * bad one stops `npm start` with its name.
 */
export const businessSettingsFrom = (environment: Record<string, string | undefined>): BusinessSettings => {
  const values = businessDefaults() as Record<string, unknown>;
  for (const name of businessNames) {
    const given = environment[business[name].variable];
    if (given) values[name] = business[name].parse(given);
  }
  return values as BusinessSettings;
};

/** Each setting as its variable's text; each business value is checked, so a bad one in a stage's file stops the synth. */
export const settingTexts = (values: BusinessSettings, stack: ProvidedSettings): SettingTexts => {
  const texts = { ...stack } as SettingTexts;
  for (const name of businessNames) {
    const setting = business[name] as unknown as Setting<unknown>;
    texts[name] = setting.format(values[name]);
    setting.parse(texts[name]);
  }
  return texts;
};

/** The environment variables for the given texts. */
export const environmentOf = (texts: Partial<SettingTexts>): Record<string, string> =>
  Object.fromEntries(Object.entries(texts).map(([name, value]) => [settings[name as keyof SettingTexts].variable, value]));

/** A setting's value from the process's environment: its default when unset or empty, else refused. */
export const readSetting = <Value>(setting: Setting<Value>): Value => {
  const given = process.env[setting.variable];
  if (given) return setting.parse(given);
  if (!('whenUnset' in setting)) throw new Error(`Setting ${setting.variable} is not set`);
  return structuredClone(setting.whenUnset as Value);
};
