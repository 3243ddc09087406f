import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SalesflowFunction, type SalesflowFunctionProps } from './salesflow-function';

export interface StreamWorkerProps extends SalesflowFunctionProps {
  table: ITableV2;
  /** The worker's stream settings, from the workers table. */
  stream: { filter: Record<string, unknown>; batchSize: number; retryAttempts: number };
}

/**
 * A Lambda fed by the table's stream: only the records its filter keeps, partial batch failures
 * retried from the failed record, and what still fails kept on a dead-letter queue with an alarm.
 */
export class StreamWorker extends SalesflowFunction {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: StreamWorkerProps) {
    super(scope, id, props);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.stream.batchSize,
        retryAttempts: props.stream.retryAttempts,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.deadLetters),
        filters: [FilterCriteria.filter(props.stream.filter)],
      }),
    );
    const alarm = new Alarm(this, 'DeadLettersWaiting', {
      alarmDescription: `${props.description}: records gave up and wait on the dead-letter queue`,
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
