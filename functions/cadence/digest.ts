import * as z from 'zod/mini';
import '#contract/messages';
import { dueBy, queueDigest } from '#adapters/due-records';
import { digestEmail, digestsOf } from '#domain/digest';
import { stableId } from '#domain/stable-id';
import { links } from '#functions/config';
import { logger } from '#functions/observability';
import { schedules } from '#functions/schedules';

/**
 * The digest job (EventBridge Scheduler, functions/schedules.ts): reads what is due from the
 * due-date index, and queues each person one digest in the outbox, which sends it and retries it
 * through an SES outage. A person whose digest for this tick is queued already is skipped, so a
 * rerun of the tick queues nothing twice. If the table fails, the job fails: the scheduler retries
 * it, and after its retries the event lands on the dead-letter queue (an alarm).
 */

const scheduleEvent = z.object({
  schedule: z.enum(Object.keys(schedules) as [keyof typeof schedules]),
  tick: z.iso.datetime({ offset: true }),
});

export interface DigestReport {
  schedule: string;
  tick: string;
  dueItems: number;
  people: number;
  queued: number;
  alreadyQueued: number;
  readCapacityUnits: number;
  pages: number;
}

export const handler = async (event: unknown): Promise<DigestReport> => {
  const { schedule, tick } = scheduleEvent.parse(event);
  const now = new Date(tick);
  const read = await dueBy(now.toISOString());
  const digests = digestsOf(read.due, now);
  const report: DigestReport = {
    schedule,
    tick,
    dueItems: read.due.length,
    people: digests.size,
    queued: 0,
    alreadyQueued: 0,
    readCapacityUnits: read.readCapacityUnits,
    pages: read.pages,
  };
  for (const [person, lines] of digests) {
    const email = digestEmail(person, lines, stableId('digest', person, schedule, tick), links());
    if (await queueDigest(person, schedule, tick, email, { lines: lines.length, at: new Date().toISOString() })) report.queued += 1;
    else report.alreadyQueued += 1;
  }
  // Counts only: no names or addresses in the logs.
  logger.info('digest run', { ...report });
  return report;
};
