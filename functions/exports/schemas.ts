import * as z from 'zod/mini';
import { emailAddress, referenceId } from '#contract/fields';
import { exportKinds } from '#domain/export-columns';
import { importedChannel, leadChannels, leadStatuses } from '#domain/lead';

export const exportPath = z.object({ file: z.enum(exportKinds.map((kind) => `${kind}.csv` as const)) });

const day = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });

/**
 * The filters of the lists (GET /leads's: owner, status, channel, campaign, created between two
 * days); each kind's export applies those its records have. All of them, not a page: no limit or cursor.
 */
export const exportQuery = z.strictObject({
  owner: z.optional(emailAddress),
  status: z.optional(z.enum(leadStatuses)),
  channel: z.optional(z.enum([...leadChannels, importedChannel])),
  campaignId: z.optional(referenceId),
  createdFrom: z.optional(day).register(z.globalRegistry, { description: 'Created on or after this day (UTC)' }),
  createdTo: z.optional(day).register(z.globalRegistry, { description: 'Created on or before this day (UTC)' }),
});
