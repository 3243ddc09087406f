import type { CadenceRules } from '#domain/cadence';
import type { Letterhead } from '#domain/letterhead';
import type { Territories } from '#domain/ownership';
import type { Approvers, QuoteLimits, VatRates } from '#domain/quote';
import { type EmailRetry, readSetting as read, type SettingTexts, settings } from '#functions/settings';

/**
 * Settings, read from the environment: the variables, their checks and defaults are declared once
 * in functions/settings.ts, which the CDK stack and the local stack also set them from; nothing
 * else tells the code where it runs. The AWS SDK finds local endpoints by itself from the
 * standard AWS_ENDPOINT_URL_<SERVICE> variables.
 */
export { defaultEmailRetry, type EmailRetry } from '#functions/settings';

/** Each setting's environment variable, for scripts and tests that set one. */
export const settingNames = Object.fromEntries(Object.entries(settings).map(([name, setting]) => [name, setting.variable])) as Record<
  keyof typeof settings,
  string
>;

/** Every variable both stacks set, as text. */
export type Settings = SettingTexts;

export const tableName = (): string => read(settings.tableName);

/** How long an unqualified suspect is kept, in months: `SALESFLOW_SUSPECT_RETENTION_MONTHS`, 24 by default. */
export const suspectRetentionMonths = (): number => read(settings.suspectRetentionMonths);
/** How far back a new lead looks for the same address or company (issue 15): `SALESFLOW_DUPLICATE_WINDOW_DAYS`, 365 by default. */
export const duplicateWindowDays = (): number => read(settings.duplicateWindowDays);
export const mailFrom = (): string => read(settings.mailFrom);
export const links = () => ({ appBaseUrl: read(settings.appBaseUrl), webBaseUrl: read(settings.webBaseUrl) });
/** A page of the web forms, such as the lead form's thank-you page. */
export const webPage = (path: string): string => new URL(path, read(settings.webBaseUrl)).toString();
export const engineeringEmail = (): string => read(settings.engineeringEmail);
export const emailMaxAttempts = (): number => read(settings.emailMaxAttempts);
export const emailRetry = (): EmailRetry => read(settings.emailRetry);

let territoriesCache: Territories | undefined;
/** R4: which SM owns which country; JSON such as {"GB":"sm.uk@example.com"}. */
export const territories = (): Territories =>
  (territoriesCache ??= { byCountry: read(settings.territories), fallbackOwner: read(settings.fallbackOwner) });

/** R14/R15: who approves QPAs; JSON such as {"salesDirector":"...","finance":"...","managingDirector":"..."}. */
export const approvers = (): Approvers => read(settings.approvers);

/** The QPA limits and the quote's clocks; any left out keep their defaults. */
export const quoteLimits = (): QuoteLimits => read(settings.quoteLimits);

/** VAT by country; a setting left out keeps the default's. A wrong rate is refused at cold start rather than printed on every quote. */
export const vatRates = (): VatRates => read(settings.vatRates);

/** The quote's letterhead; any field left out keeps the default's. */
export const letterhead = (): Letterhead => read(settings.letterhead);

/** The teams a quote's steps go to. */
export const quoteTeam = () => ({
  salesAdmin: read(settings.salesAdminEmail),
  applicationEngineer: read(settings.applicationEngineerEmail),
  engineering: engineeringEmail(),
  approvers: approvers(),
});

export const quoteApprovalArn = (): string => read(settings.quoteApprovalArn);

/** R21-R26: the people and places an order involves besides its SM. */
export const orderTeam = () => ({
  production: read(settings.productionEmail),
  sfCustomerSupport: read(settings.sfSupportEmail),
  support: read(settings.supportEmail),
  engineering: engineeringEmail(),
  website: read(settings.customerWebsite),
  /** R26: the SM's manager, who hears of an equipment check nobody answered. */
  salesDirector: approvers().salesDirector,
});

/** R21: the external service desk's webhook, if there is one. */
export const serviceDeskUrl = (): string | undefined => read(settings.serviceDeskUrl) || undefined;
export const serviceDeskMaxAttempts = (): number => read(settings.serviceDeskMaxAttempts);

export const postShipmentArn = (): string => read(settings.postShipmentArn);

/** R6-R8: the cadences; any rule left out keeps the chart's, down to each kind of account. */
export const cadenceRules = (): CadenceRules => read(settings.cadences);
