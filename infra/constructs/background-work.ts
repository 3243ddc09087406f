import { Duration, type Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { type Schedule, type ScheduleName, schedules } from '#functions/schedules';
import { workers } from '#functions/workers';
import type { MailSending } from './mail-sending';
import { ScheduledJob } from './scheduled-job';
import { StreamWorker } from './stream-worker';
import type { TableAccess } from './table-access';
import { pascalCase } from './workflows';

type WorkerName = keyof typeof workers;

/** How long a batch may take: an import's chunk is a thousand records. A new worker must say. */
const workerTimeouts: Record<WorkerName, Duration> = {
  mailDelivery: Duration.seconds(30),
  serviceDeskSync: Duration.seconds(30),
  reportRollups: Duration.seconds(60),
  importChunks: Duration.minutes(5),
};

/** Which workers send email themselves: the outbox's delivery. */
const sendsEmail: readonly WorkerName[] = ['mailDelivery'];

export interface BackgroundWorkProps {
  environment: Record<string, string>;
  alarmTopic: ITopic;
  table: ITableV2;
  tableAccess: TableAccess;
  mail: MailSending;
}

/**
 * The functions fed by the table's stream (functions/workers.ts): the outbox's delivery, R21's
 * service desk copies, the reports' counters, a CSV import's chunks. Each may write the records
 * its bundle touches; on the stack itself, so each keeps its logical IDs.
 */
export const streamWorkers = (stack: Stack, props: BackgroundWorkProps) =>
  Object.fromEntries(
    (Object.entries(workers) as [WorkerName, (typeof workers)[WorkerName]][]).map(([name, worker]) => {
      const streamWorker = new StreamWorker(stack, pascalCase(name), {
        entry: worker.entry,
        description: worker.description,
        environment: props.environment,
        alarmTopic: props.alarmTopic,
        table: props.table,
        stream: worker.tableStream,
        timeout: workerTimeouts[name],
        memorySize: worker.memoryMb,
      });
      props.tableAccess.grantWrites(streamWorker.function, worker.entry);
      if (sendsEmail.includes(name)) props.mail.grantSend(streamWorker.function);
      return [name, streamWorker];
    }),
  ) as Record<WorkerName, StreamWorker>;

/** R6-R8: the schedules, each with its job (functions/schedules.ts); the outbox's retries. */
export const scheduledJobs = (stack: Stack, props: Omit<BackgroundWorkProps, 'table'>) =>
  Object.fromEntries(
    (Object.entries(schedules) as [ScheduleName, Schedule][]).map(([name, schedule]) => {
      const job = new ScheduledJob(stack, pascalCase(name), {
        entry: schedule.entry,
        description: schedule.description,
        environment: props.environment,
        alarmTopic: props.alarmTopic,
        timeout: Duration.minutes(5),
        memorySize: schedule.memoryMb,
        schedule: { name, ...schedule },
      });
      props.tableAccess.grantWrites(job.function, schedule.entry);
      if (schedule.sendsEmail) props.mail.grantSend(job.function);
      return [name, job];
    }),
  ) as Record<ScheduleName, ScheduledJob>;
