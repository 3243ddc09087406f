import * as z from 'zod/mini';
import { isoDateTime, multiLineText, nameText } from '#contract/fields';
import { activityChannels, activityKinds } from '#domain/activity';

/** A call, visit, email, note or training, as it happened. */
export const activityBody = z.strictObject({
  kind: z.enum(activityKinds),
  channel: z.optional(z.enum(activityChannels)),
  at: z.optional(
    isoDateTime.check(
      z.refine((at) => Date.parse(at) <= Date.now() + 5 * 60_000, { message: 'must not be in the future' }),
      // R27: a timeline is logged as things happen; a year back covers any catching up, 1900 none.
      z.refine((at) => Date.parse(at) >= Date.now() - 366 * 24 * 60 * 60_000, { message: 'must be within the last year' }),
    ),
  ),
  with: z.optional(nameText()),
  summary: multiLineText(4000),
  outcome: z.optional(multiLineText(4000)),
});
