import { type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DeadLetters } from './dead-letters';
import { SalesflowFunction, type SalesflowFunctionProps } from './salesflow-function';

export interface ScheduledJobProps extends SalesflowFunctionProps {
  /** The schedule's name, expression, zone and retries, from the schedule table. */
  schedule: { name: string; expression: string; timeZone: string; retryAttempts: number };
}

/**
 * A Lambda run by EventBridge Scheduler: the expression in its IANA time zone (Scheduler follows
 * summer time), the scheduled time passed as the tick, retries, and events that still fail kept on
 * a dead-letter queue with an alarm.
 */
export class ScheduledJob extends SalesflowFunction {
  readonly deadLetters: Queue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id, props);
    this.deadLetters = new DeadLetters(this, 'DeadLetters', { description: props.description, alarmTopic: props.alarmTopic }).queue;
    // Scheduler invokes asynchronously: its retries and queue cover delivering the event; a run
    // that throws is retried by Lambda, then sent to the same queue.
    this.function.configureAsyncInvoke({
      retryAttempts: Math.min(2, props.schedule.retryAttempts),
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetters),
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: props.description,
      schedule: ScheduleExpression.expression(props.schedule.expression, TimeZone.of(props.schedule.timeZone)),
      target: new LambdaInvoke(this.function, {
        input: ScheduleTargetInput.fromObject({ schedule: props.schedule.name, tick: ContextAttribute.scheduledTime }),
        retryAttempts: props.schedule.retryAttempts,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetters,
      }),
    });
    // The target's role lives at the stack's level (Scheduler shares one per target account).
    Validations.of(Stack.of(this)).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.function.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: "The scheduler's role may invoke this function and its own versions (ARN:*); nothing else.",
    });
  }
}
