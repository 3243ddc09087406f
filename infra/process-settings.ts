/**
 * The business settings both places start from: who the mail comes from, which SM owns which
 * territory, where Engineering is reached. The CDK stack takes overrides from cdk.json context
 * (`salesflow:settings`); the local stack from the environment.
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
};

export type ProcessSettings = typeof processSettingDefaults;
