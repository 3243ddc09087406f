import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { defaultMemoryMb } from '#functions/workers';
import { lambdaBundling } from '../bundling';
import { operationsAlarm } from './operations-alarm';

export interface SalesflowFunctionProps {
  /** The handler module, relative to the project root (from the route table or the workers). */
  entry: string;
  description: string;
  environment: Record<string, string>;
  alarmTopic: ITopic;
  timeout?: Duration;
  memorySize?: number;
}

export const projectRoot = join(import.meta.dirname, '..', '..');

/**
 * A salesflow Lambda: Node.js 22 on arm64, an ESM bundle built by the local esbuild with the SDK
 * clients bundled and tree-shaken, JSON logs kept for a set time, X-Ray, and an alarm on errors.
 * Grants stay beside where each function is made (the route groups, workflows, workers and jobs),
 * which know what it touches.
 */
export class SalesflowFunction extends Construct {
  readonly function: NodejsFunction;
  readonly errorsAlarm: Alarm;
  readonly throttlesAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SalesflowFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(projectRoot, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? defaultMemoryMb,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'salesflow',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: lambdaBundling.target,
        minify: lambdaBundling.minify,
        // The map is a build artefact beside the bundle (cdk.out), for decoding a stack trace offline
        // (DEPLOY.md); not loaded at runtime (no --enable-source-maps: a slower cold start and throw).
        sourceMap: true,
        sourcesContent: false,
        mainFields: [...lambdaBundling.mainFields],
        // Bundle the SDK clients too: only what each handler uses is shipped, and cold starts shrink.
        externalModules: [],
        banner: lambdaBundling.banner,
        metafile: false,
      },
    });
    this.errorsAlarm = operationsAlarm(this, 'Errors', {
      description: `${props.description}: the function failed`,
      metric: this.function.metricErrors({ period: Duration.minutes(5) }),
      alarmTopic: props.alarmTopic,
    });
    // The account's concurrency ran out: requests refused, events delayed.
    this.throttlesAlarm = operationsAlarm(this, 'Throttles', {
      description: `${props.description}: Lambda throttled it (the account's concurrency ran out)`,
      metric: this.function.metricThrottles({ period: Duration.minutes(5) }),
      alarmTopic: props.alarmTopic,
    });
  }
}
