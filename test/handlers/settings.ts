import { settingNames } from '#functions/config';

/** The settings a deployed function would have; the AWS clients themselves are mocked per test. */
Object.assign(process.env, {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  [settingNames.tableName]: 'salesflow-test',
  [settingNames.mailFrom]: 'sales@salesflow.example',
  [settingNames.appBaseUrl]: 'https://sales.example',
  [settingNames.engineeringEmail]: 'engineering@salesflow.example',
  [settingNames.territories]: JSON.stringify({ GB: 'sm.uk@salesflow.example' }),
  [settingNames.fallbackOwner]: 'sales.manager@salesflow.example',
  [settingNames.emailMaxAttempts]: '3',
});
