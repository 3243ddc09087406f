import * as z from 'zod/mini';
import '#contract/messages';
import { emailsDueForRetry, failedEmails, requeueFailed } from '#adapters/email-outbox';
import { logger } from '#functions/observability';
import { schedules } from '#functions/schedules';
import { type Delivery, deliverEmail } from './deliver';

/**
 * The outbox's retry job (EventBridge Scheduler every minute, functions/schedules.ts): tries again
 * each email whose next attempt is due. The same function redrives the dead letters when invoked
 * with `{"redrive": true}` (`npm run redrive` locally; `aws lambda invoke` on AWS, see README):
 * each failed email gets a fresh round of attempts and goes at once.
 */

const event = z.union([
  z.object({ schedule: z.enum(Object.keys(schedules) as [keyof typeof schedules]), tick: z.iso.datetime({ offset: true }) }),
  z.object({ redrive: z.literal(true), limit: z.optional(z.number().check(z.int(), z.positive(), z.lte(1000))) }),
]);

/** One run reads at most this many due emails; the next minute takes the rest. */
const batch = 100;

export interface RetryReport {
  due: number;
  redriven: number;
  outcomes: Partial<Record<Delivery, number>>;
}

export const handler = async (input: unknown): Promise<RetryReport> => {
  const parsed = event.parse(input);
  const report: RetryReport = { due: 0, redriven: 0, outcomes: {} };
  if ('redrive' in parsed) {
    const now = new Date().toISOString();
    for (const key of await failedEmails(parsed.limit ?? 1000)) {
      if (await requeueFailed(key, now)) report.redriven += 1;
    }
  }
  const due = await emailsDueForRetry(new Date(), batch);
  report.due = due.length;
  for (const key of due) {
    const outcome = await deliverEmail(key);
    report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
  }
  // Counts only: no addresses in the logs.
  if (report.due || report.redriven) logger.info('outbox retry run', { ...report });
  return report;
};
