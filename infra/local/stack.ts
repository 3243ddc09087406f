import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { seedPeople } from '#adapters/people-records';
import { type Settings, settingNames } from '#functions/config';
import { type ScheduleEvent, schedules } from '#functions/schedules';
import { businessSettingsFrom, environmentOf, settingTexts } from '#functions/settings';
import { workers } from '#functions/workers';
import { type WorkflowName, workflows } from '#functions/workflows';
import { startLocalApiGateway } from './api-gateway';
import { localVerifier } from './auth';
import { startDynamoDbLocal } from './dynamodb-local';
import { localDirectory } from './people';
import { isAddressInUse, localHost, localPorts, PortInUseError, type PortName, portIsFree } from './ports';
import { loadHandler, projectFile } from './project';
import { startLocalScheduler } from './scheduler';
import { startSesLocal } from './ses-local';
import { type LocalWorkflow, startLocalStepFunctions, type TaskHandler } from './step-functions';
import { startStreamPoller } from './stream-poller';
import { ensureTable } from './table';
import { localWebSite } from './web-site';

/**
 * The whole system on one machine: real emulators behind the same SDK calls, the same handlers,
 * the same route table and key design. Only configuration says where things are.
 */

export const localDataDir = () => process.env.SALESFLOW_DATA_DIR ?? join(process.cwd(), '.data');
export const localKeyFile = (dataDir: string) => join(dataDir, 'local-auth-key.json');

/** The state machine's name here; the CDK stack names its own after the stack. */
const localWorkflowName = (name: WorkflowName) => `salesflow-${name}`;

export interface LocalStackOptions {
  host?: string;
  /** 0 picks a free port (tests). */
  ports?: Partial<typeof localPorts>;
  dataDir?: string;
  /** Keep DynamoDB and Step Functions executions in memory instead of under the data folder. */
  inMemory?: boolean;
  tableName?: string;
}

export interface LocalStack {
  urls: { api: string; dynamodb: string; ses: string; stepFunctions: string; scheduler: string };
  /**
   * For the fault suite (`npm run chaos`): DynamoDB Local killed outright, as a crash would, and
   * started again on the same port and data. Nothing else of the stack is told.
   */
  dynamodbFaults: { kill(signal?: NodeJS.Signals): void; start(): Promise<void> };
  stop(): Promise<void>;
}

export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const host = options.host ?? localHost;
  const ports = { ...localPorts, ...options.ports };
  const dataDir = options.dataDir ?? localDataDir();
  const tableName = options.tableName ?? 'salesflow';
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };

  // Every taken port in one message, before anything starts (the JVM alone takes seconds).
  const taken: ConstructorParameters<typeof PortInUseError>[0] = [];
  for (const [name, port] of Object.entries(ports) as [PortName, number][]) {
    if (!(await portIsFree(host, port))) taken.push({ name, host, port });
  }
  if (taken.length > 0) throw new PortInUseError(taken);
  // A port taken after that check still fails with its name and variable.
  const claiming = <T>(name: PortName, start: Promise<T>): Promise<T> =>
    start.catch((error: unknown) => {
      throw isAddressInUse(error) ? new PortInUseError([{ name, host, port: ports[name] }]) : error;
    });

  try {
    const dynamodbOptions = { host, port: ports.dynamodb, dataDir: options.inMemory ? undefined : join(dataDir, 'dynamodb') };
    let dynamodb = await startDynamoDbLocal(dynamodbOptions);
    // Its own port from here on, should the fault suite start it again.
    dynamodbOptions.port = Number(new URL(dynamodb.endpoint).port);
    stops.push(() => dynamodb.stop());
    const dynamodbFaults = {
      kill: (signal: NodeJS.Signals = 'SIGKILL') => process.kill(dynamodb.pid, signal),
      start: async () => {
        await dynamodb.stop();
        dynamodb = await startDynamoDbLocal(dynamodbOptions);
      },
    };
    const ses = await startSesLocal({ host, port: ports.ses });
    stops.push(ses.close);
    const region = process.env.AWS_REGION ?? 'eu-west-2';
    const localWorkflows: LocalWorkflow[] = [];
    for (const [name, workflow] of Object.entries(workflows)) {
      const functions: Record<string, TaskHandler> = {};
      for (const [substitution, entry] of Object.entries(workflow.functions)) {
        functions[substitution] = await loadHandler<TaskHandler>(entry);
      }
      localWorkflows.push({
        name: localWorkflowName(name as WorkflowName),
        definition: readFileSync(projectFile(workflow.definitionFile), 'utf8'),
        functions,
      });
    }
    const stepFunctions = await claiming(
      'stepFunctions',
      startLocalStepFunctions({
        host,
        port: ports.stepFunctions,
        region,
        workflows: localWorkflows,
        timeScale: Number(process.env.SALESFLOW_TIME_SCALE ?? 1),
        dataDir: options.inMemory ? undefined : join(dataDir, 'stepfunctions'),
      }),
    );
    stops.push(stepFunctions.close);

    // The same variables the CDK stack sets on its functions (functions/settings.ts), the business
    // ones from the environment over their defaults, and the SDK's standard endpoint variables.
    const settings: Settings = settingTexts(businessSettingsFrom(process.env), {
      tableName,
      appBaseUrl: `http://${host}:${ports.api}`,
      webBaseUrl: `http://${host}:${ports.api}`,
      quoteApprovalArn: stepFunctions.stateMachineArn(localWorkflowName('quote-approval')),
      postShipmentArn: stepFunctions.stateMachineArn(localWorkflowName('post-shipment')),
    });
    Object.assign(process.env, {
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodb.endpoint,
      AWS_ENDPOINT_URL_SES: ses.url,
      AWS_ENDPOINT_URL_SFN: stepFunctions.url,
      ...environmentOf(settings),
    });

    const client = new DynamoDBClient({});
    const streamArn = await ensureTable(client, tableName);
    // The people directory, from the process settings: who each local token's `sub` is.
    const people = localDirectory(settings);
    await seedPeople(people, DynamoDBDocumentClient.from(client));
    client.destroy();

    // Every stream worker, with the same filter, batch size and retries as its event source on AWS.
    for (const [name, worker] of Object.entries(workers)) {
      const poller = startStreamPoller({
        endpoint: dynamodb.endpoint,
        streamArn,
        filter: worker.tableStream.filter,
        handler: await loadHandler<(event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>>(worker.entry),
        batchSize: worker.tableStream.batchSize,
        retryAttempts: worker.tableStream.retryAttempts,
        deadLetterFile: join(dataDir, 'dead-letters', `${name}.jsonl`),
      });
      stops.push(poller.stop);
    }

    // The same schedules as EventBridge Scheduler, their targets in process.
    const targets: Record<string, (event: ScheduleEvent) => Promise<unknown>> = {};
    for (const [name, schedule] of Object.entries(schedules)) targets[name] = await loadHandler(schedule.entry);
    const scheduler = await claiming(
      'scheduler',
      startLocalScheduler({
        host,
        port: ports.scheduler,
        schedules,
        targets,
        timeScale: Number(process.env.SALESFLOW_TIME_SCALE ?? 1),
        deadLetterFile: join(dataDir, 'dead-letters', 'schedules.jsonl'),
      }),
    );
    stops.push(scheduler.close);

    const api = await claiming(
      'api',
      startLocalApiGateway({
        host,
        port: ports.api,
        verify: await localVerifier(localKeyFile(dataDir)),
        fallback: localWebSite({ keyFile: localKeyFile(dataDir), people }),
      }),
    );
    stops.push(api.close);
    process.env[settingNames.appBaseUrl] = api.url;
    process.env[settingNames.webBaseUrl] = api.url;

    return {
      urls: { api: api.url, dynamodb: dynamodb.endpoint, ses: ses.url, stepFunctions: stepFunctions.url, scheduler: scheduler.url },
      dynamodbFaults,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
