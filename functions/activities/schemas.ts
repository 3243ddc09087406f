import * as z from 'zod';
import { activityChannels, activityKinds } from '#domain/activity';
import { isoDateTime, multiLineText, nameText } from '#contract/fields';

/** A call, visit, email, note or training, as it happened. */
export const activityBody = z.strictObject({
  kind: z.enum(activityKinds),
  channel: z.enum(activityChannels).optional(),
  at: isoDateTime
    .refine((at) => Date.parse(at) <= Date.now() + 5 * 60_000, { message: 'must not be in the future' })
    .optional(),
  with: nameText().optional(),
  summary: multiLineText(4000),
  outcome: multiLineText(4000).optional(),
});
