import { type BusinessSettings, businessDefaults } from '#functions/settings';

/**
 * The business settings both stacks start from: who the mail comes from, which SM owns which
 * territory, where Engineering is reached. Each is declared, with its default and its check, in
 * functions/settings.ts. The CDK stack takes overrides from the stage's file
 * (infra/stages/<stage>.json); the local stack from the environment.
 */
export type ProcessSettings = BusinessSettings;
export const processSettingDefaults: ProcessSettings = businessDefaults();
