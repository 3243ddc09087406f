import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { digestEmail, digestsOf } from '#domain/digest';
import { digestSent, dueBy, recordDigestSent } from '#adapters/due-records';
import { sendEmail } from '#adapters/ses-mailer';
import { links } from '#functions/config';
import { logger } from '#functions/observability';
import { schedules } from '#functions/schedules';

/**
 * The digest job (EventBridge Scheduler, functions/schedules.ts): reads what is due from the
 * due-date index, and emails each person one digest. A person already sent this tick's digest is
 * skipped, so a rerun of the tick sends nothing twice. If an email fails, the others still go and
 * the job then fails: the scheduler retries it, and after its retries the event lands on the
 * dead-letter queue (an alarm). The items stay due, so the next tick lists them again.
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
  sent: number;
  alreadySent: number;
  failed: number;
  readCapacityUnits: number;
  pages: number;
}

class DigestsNotSent extends Error {
  override readonly name = 'DigestsNotSent';
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
    sent: 0,
    alreadySent: 0,
    failed: 0,
    readCapacityUnits: read.readCapacityUnits,
    pages: read.pages,
  };
  for (const [person, lines] of digests) {
    if (await digestSent(person, schedule, tick)) {
      report.alreadySent += 1;
      continue;
    }
    try {
      const { attachments: _none, ...email } = digestEmail(person, lines, randomUUID(), links());
      const messageId = await sendEmail(email);
      await recordDigestSent(person, schedule, tick, { messageId, lines: lines.length, at: new Date().toISOString() });
      report.sent += 1;
    } catch (error) {
      report.failed += 1;
      logger.warn('digest not sent', { schedule, tick, reason: (error as Error).name });
    }
  }
  // Counts only: no names or addresses in the logs.
  logger.info('digest run', { ...report });
  if (report.failed) throw new DigestsNotSent(`${report.failed} of ${report.people} digests not sent for ${schedule} ${tick}`);
  return report;
};
