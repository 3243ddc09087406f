import type { Territories } from '#domain/ownership';

/**
 * Settings, read from the environment. The CDK stack and the local stack both set these names;
 * nothing else tells the code where it runs. The AWS SDK finds local endpoints by itself from the
 * standard AWS_ENDPOINT_URL_<SERVICE> variables.
 */
export const settingNames = {
  tableName: 'SALESFLOW_TABLE_NAME',
  mailFrom: 'SALESFLOW_MAIL_FROM',
  appBaseUrl: 'SALESFLOW_APP_BASE_URL',
  engineeringEmail: 'SALESFLOW_ENGINEERING_EMAIL',
  territories: 'SALESFLOW_TERRITORIES',
  fallbackOwner: 'SALESFLOW_FALLBACK_OWNER',
  emailMaxAttempts: 'SALESFLOW_EMAIL_MAX_ATTEMPTS',
} as const;

export type Settings = Record<keyof typeof settingNames, string>;

const read = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Setting ${name} is not set`);
  return value;
};

export const tableName = (): string => read(settingNames.tableName);
export const mailFrom = (): string => read(settingNames.mailFrom);
export const links = () => ({ appBaseUrl: read(settingNames.appBaseUrl) });
export const engineeringEmail = (): string => read(settingNames.engineeringEmail);
export const emailMaxAttempts = (): number => Number(process.env[settingNames.emailMaxAttempts] ?? 5);

let territoriesCache: Territories | undefined;
/** R4: which SM owns which country; JSON such as {"GB":"sm.uk@example.com"}. */
export const territories = (): Territories =>
  (territoriesCache ??= {
    byCountry: JSON.parse(process.env[settingNames.territories] ?? '{}') as Record<string, string>,
    fallbackOwner: read(settingNames.fallbackOwner),
  });
