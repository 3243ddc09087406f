import { businessDefaults, environmentOf, settingTexts } from '#functions/settings';

/** The settings a deployed function would have; the AWS clients themselves are mocked per test. */
Object.assign(process.env, {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  ...environmentOf(
    settingTexts(
      {
        ...businessDefaults(),
        // One territory, few attempts and short retries: the tests' own, where a default would hide what they check.
        territories: { GB: 'sm.uk@salesflow.example' },
        emailMaxAttempts: 3,
        emailRetry: { firstDelaySeconds: 1, maxDelaySeconds: 60, windowHours: 1 },
        applicationEngineerEmail: 'ae@salesflow.example',
      },
      {
        tableName: 'salesflow-test',
        appBaseUrl: 'https://sales.example',
        webBaseUrl: 'https://www.sales.example',
        quoteApprovalArn: 'arn:aws:states:eu-west-2:123456789012:stateMachine:salesflow-quote-approval',
        postShipmentArn: 'arn:aws:states:eu-west-2:123456789012:stateMachine:salesflow-post-shipment',
      },
    ),
  ),
});
