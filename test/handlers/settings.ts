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
  [settingNames.webBaseUrl]: 'https://www.sales.example',
  [settingNames.engineeringEmail]: 'engineering@salesflow.example',
  [settingNames.territories]: JSON.stringify({ GB: 'sm.uk@salesflow.example' }),
  [settingNames.fallbackOwner]: 'sales.manager@salesflow.example',
  [settingNames.emailMaxAttempts]: '3',
  [settingNames.emailRetry]: JSON.stringify({ firstDelaySeconds: 1, maxDelaySeconds: 60, windowHours: 1 }),
  [settingNames.salesAdminEmail]: 'sales.admin@salesflow.example',
  [settingNames.applicationEngineerEmail]: 'ae@salesflow.example',
  [settingNames.approvers]: JSON.stringify({
    salesDirector: 'sales.director@salesflow.example',
    finance: 'finance@salesflow.example',
    managingDirector: 'md@salesflow.example',
  }),
  [settingNames.quoteLimits]: '{}',
  [settingNames.vatRates]: '{}',
  [settingNames.letterhead]: '{}',
  [settingNames.quoteApprovalArn]: 'arn:aws:states:eu-west-2:123456789012:stateMachine:salesflow-quote-approval',
  [settingNames.productionEmail]: 'production@salesflow.example',
  [settingNames.sfSupportEmail]: 'sf.support@salesflow.example',
  [settingNames.supportEmail]: 'support@salesflow.example',
  [settingNames.customerWebsite]: 'https://customers.salesflow.example',
  [settingNames.postShipmentArn]: 'arn:aws:states:eu-west-2:123456789012:stateMachine:salesflow-post-shipment',
});
