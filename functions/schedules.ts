/**
 * The one schedule table. The CDK stack makes an EventBridge Scheduler schedule of each (with its
 * time zone, retries and dead-letter queue); `npm start` runs the same expressions with a local
 * scheduler (infra/local/scheduler.ts) that can also fire one now. Pure data.
 */
export interface Schedule {
  /** An EventBridge Scheduler expression: cron(...) or rate(...), in `timeZone`. */
  expression: string;
  /** IANA zone: Scheduler follows its summer time, so 07:00 stays 07:00 in London all year. */
  timeZone: string;
  /** The handler module the schedule invokes. */
  entry: string;
  description: string;
  /** Invocations retried before the event goes to the dead-letter queue. */
  retryAttempts: number;
  memoryMb: number;
  /** The job itself sends through SES (only the outbox's; everything else queues its emails). */
  sendsEmail?: boolean;
}

export const schedules = {
  'weekly-digest': {
    expression: 'cron(0 7 ? * MON *)',
    timeZone: 'Europe/London',
    entry: 'functions/cadence/digest.ts',
    description: "R6-R8, R22, R26: each SM's and AE's digest of calls, visits and tasks due",
    retryAttempts: 3,
    memoryMb: 512,
  },
  'mail-retry': {
    // The outbox's retries are due times in the table; this only looks for what is due.
    expression: 'rate(1 minute)',
    timeZone: 'UTC',
    entry: 'functions/mail/retry.ts',
    description: 'Tries again each queued email whose next attempt is due; redrives failed emails on request',
    retryAttempts: 0,
    memoryMb: 512,
    sendsEmail: true,
  },
  'suspect-retention': {
    expression: 'cron(30 2 * * ? *)',
    timeZone: 'Europe/London',
    entry: 'functions/people/suspect-retention.ts',
    description: 'Deletes unqualified suspects older than their retention (24 months), with their timelines and emails',
    retryAttempts: 3,
    memoryMb: 512,
  },
} as const satisfies Record<string, Schedule>;

export type ScheduleName = keyof typeof schedules;

/** What a schedule's target receives: which schedule, and the tick it stands for. */
export interface ScheduleEvent {
  schedule: ScheduleName;
  /** The scheduled time (EventBridge Scheduler's <aws.scheduler.scheduled-time>). */
  tick: string;
}
