import { join } from 'node:path';
import { ArnFormat, type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { operationsAlarm } from './operations-alarm';
import { projectRoot } from './salesflow-function';

export interface WorkflowProps {
  /** The ASL file, relative to the project root: the same file the local endpoint runs. */
  definitionFile: string;
  /** Given, so that functions can know the ARN before the state machine exists (no cycle). */
  stateMachineName: string;
  /** `${Name}` substitutions in the file, to the functions that run there. */
  functions: Record<string, IFunction>;
  alarmTopic: ITopic;
  description: string;
}

/**
 * A salesflow workflow: a STANDARD state machine from its ASL file with definition
 * substitutions, logging ALL events (without execution data, which holds people's names) and
 * X-Ray tracing; it may invoke exactly its own functions; failed or timed-out runs raise an alarm.
 */
export class Workflow extends Construct {
  readonly stateMachine: StateMachine;

  /** The ARN a state machine of this name has in this stack, usable before it is created. */
  static arnFor(scope: Construct, stateMachineName: string): string {
    return Stack.of(scope).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      // Step Functions wants its log groups under /aws/vendedlogs/ to keep the resource policy small.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      // A run's events are its audit trail (who approved what, when): kept a year.
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      comment: props.description,
      definitionBody: DefinitionBody.fromFile(join(projectRoot, props.definitionFile)),
      definitionSubstitutions: Object.fromEntries(Object.entries(props.functions).map(([name, fn]) => [name, fn.functionArn])),
      stateMachineType: StateMachineType.STANDARD,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // Runs wait months for a person; deleting the machine would end them.
    this.stateMachine.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // A definition from a file says nothing the CDK can read: grant its functions explicitly.
    for (const fn of Object.values(props.functions)) {
      fn.grantInvoke(this.stateMachine);
      const functionId = Stack.of(this).getLogicalId(fn.node.defaultChild as CfnElement);
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason: "grantInvoke also covers the function's own versions and aliases (ARN:*); nothing else.",
      });
    }

    const alarms = {
      Failed: { metric: this.stateMachine.metricFailed({ period: Duration.minutes(5) }), what: 'failed' },
      TimedOut: { metric: this.stateMachine.metricTimedOut({ period: Duration.minutes(5) }), what: 'timed out' },
    };
    for (const [name, { metric, what }] of Object.entries(alarms)) {
      operationsAlarm(this, name, {
        description: `${props.description}: a run ${what}; its record shows where`,
        metric,
        alarmTopic: props.alarmTopic,
      });
    }
  }

  grantStartExecution(grantee: IGrantable) {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** SendTaskSuccess/Failure/Heartbeat: for whoever hands a person's answer back. */
  grantTaskResponse(grantee: IGrantable) {
    return this.stateMachine.grantTaskResponse(grantee);
  }
}
