import * as z from 'zod/mini';
import '#contract/messages';
import { eraseExpiredSuspects, suspectCutoff } from '#adapters/personal-data';
import { logger } from '#functions/observability';

/**
 * Data minimisation: each night (functions/schedules.ts), unqualified suspects older than the
 * retention are deleted whole: the lead, its timeline and its emails. A qualified lead is an
 * opportunity's history and stays. The scheduled time decides what is old, so a run fired for a
 * given tick does the same whenever it runs.
 */
const event = z.object({ schedule: z.literal('suspect-retention'), tick: z.iso.datetime({ offset: true }) });

/** One run deletes at most this many suspects a round, and goes round until none is left. */
const batch = 100;

export const handler = async (input: unknown): Promise<{ cutoff: string; erased: number }> => {
  const { tick } = event.parse(input);
  const cutoff = suspectCutoff(new Date(tick));
  let erased = 0;
  for (let round = await eraseExpiredSuspects(cutoff, batch); round > 0; round = await eraseExpiredSuspects(cutoff, batch)) {
    erased += round;
  }
  // Counts only: no addresses in the logs.
  if (erased) logger.info('suspects past their retention erased', { cutoff, erased });
  return { cutoff, erased };
};
