import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { operationsAlarm } from './operations-alarm';

export interface DeadLettersProps {
  /** What gives up into this queue, for the alarm's description. */
  description: string;
  alarmTopic: ITopic;
}

/** Where events that failed for good wait, encrypted, for 14 days; one waiting raises the alarm. */
export class DeadLetters extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: DeadLettersProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // What waits here is work not yet done: a redeploy must not drop it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    operationsAlarm(this, 'Waiting', {
      description: `${props.description}: gave up and waits on the dead-letter queue`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      alarmTopic: props.alarmTopic,
    });
  }
}
