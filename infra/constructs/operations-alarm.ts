import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export interface OperationsAlarmProps {
  /** What went wrong and where to look, for the person the alarm topic reaches. */
  description: string;
  metric: IMetric;
  alarmTopic: ITopic;
  /** 1 unless said: one failure is worth a look. */
  threshold?: number;
  /** At or over the threshold unless said (a lag alarms only over it). */
  comparison?: ComparisonOperator;
}

/**
 * Every alarm of the stack has the same shape: one period over the threshold tells the alarm topic,
 * and no data (nothing happened) is not a breach.
 */
export const operationsAlarm = (scope: Construct, id: string, props: OperationsAlarmProps): Alarm => {
  const alarm = new Alarm(scope, id, {
    alarmDescription: props.description,
    metric: props.metric,
    threshold: props.threshold ?? 1,
    evaluationPeriods: 1,
    comparisonOperator: props.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  return alarm;
};
