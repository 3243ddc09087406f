import { Duration, type Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { operationsAlarm } from './operations-alarm';

/**
 * The alarms on the service as a whole (each function, queue and workflow has its own): emails
 * given up on, the sender's reputation, a throttled table, the API's 5xx. On the stack itself, so
 * each keeps its logical ID.
 */
export const serviceAlarms = (stack: Stack, props: { alarmTopic: ITopic; table: ITableV2; api: HttpApi }) => {
  const { alarmTopic } = props;
  // An email given up on (functions/mail/deliver.ts) is a person not told: someone must look.
  operationsAlarm(stack, 'EmailsFailed', {
    description: 'Emails failed for good after their retries: see the runbook (README, "Redrive") to send them again',
    metric: new Metric({
      namespace: 'salesflow',
      metricName: 'EmailsFailed',
      dimensionsMap: { service: 'mail' },
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    alarmTopic,
  });

  // SES puts an account under review at 5% bounces or 0.1% complaints, and may pause its sending at 10% or 0.5%.
  const reputation = { BounceRate: 0.05, ComplaintRate: 0.001 };
  for (const [name, threshold] of Object.entries(reputation)) {
    operationsAlarm(stack, `Mail${name}`, {
      description: `SES ${name} at the level where AWS reviews the account: find the addresses (MailFeedback logs) before sending is paused`,
      metric: new Metric({ namespace: 'AWS/SES', metricName: `Reputation.${name}`, statistic: 'Maximum', period: Duration.hours(1) }),
      alarmTopic,
      threshold,
    });
  }

  // On demand still throttles a hot partition; a throttled write is an email or step retried late.
  const throttleEvents = (metricName: string) =>
    new Metric({
      namespace: 'AWS/DynamoDB',
      metricName,
      dimensionsMap: { TableName: props.table.tableName },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
  operationsAlarm(stack, 'TableThrottled', {
    description: 'DynamoDB throttled reads or writes of the table',
    metric: new MathExpression({
      expression: 'reads + writes',
      usingMetrics: { reads: throttleEvents('ReadThrottleEvents'), writes: throttleEvents('WriteThrottleEvents') },
      period: Duration.minutes(5),
    }),
    alarmTopic,
  });

  operationsAlarm(stack, 'ApiServerErrors', {
    description: 'The API answered 5xx: something other than a client is at fault',
    metric: props.api.metricServerError({ period: Duration.minutes(5) }),
    alarmTopic,
  });
};
