import { Duration } from 'aws-cdk-lib';
import { ComparisonOperator } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DeadLetters } from './dead-letters';
import { operationsAlarm } from './operations-alarm';
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
    this.deadLetters = new DeadLetters(this, 'DeadLetters', { description: props.description, alarmTopic: props.alarmTopic }).queue;
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
    // The worker falls behind the stream: emails go out late, and past a day records are dropped.
    operationsAlarm(this, 'FallingBehind', {
      description: `${props.description}: the oldest stream record waits more than 15 minutes`,
      metric: this.function.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5) }),
      alarmTopic: props.alarmTopic,
      threshold: Duration.minutes(15).toMilliseconds(),
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
  }
}
