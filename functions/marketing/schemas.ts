import * as z from 'zod/mini';
import { multiLineText, recordId, text } from '#contract/fields';
import { campaignKinds, materialKinds } from '#domain/campaign';

const day = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });

/** R1: a campaign of one of the chart's five kinds. */
export const campaignBody = z
  .strictObject({
    kind: z.enum(campaignKinds),
    name: text(200),
    startsOn: day,
    endsOn: z.optional(day),
    costGbp: z.optional(
      z.number().check(z.nonnegative('must not be negative'), z.lte(100_000_000), z.multipleOf(0.01, 'must be in whole pence')),
    ),
  })
  .check(z.refine((c) => !c.endsOn || c.endsOn >= c.startsOn, { path: ['endsOn'], message: 'must not be before startsOn' }));

export const campaignCreated = z.object({ id: z.uuid() });

/** R2: mailshot or cold-call material to distributors chosen by size or by list. */
export const materialBody = z.strictObject({
  kind: z.enum(materialKinds),
  subject: text(200),
  body: multiLineText(20_000),
  to: z.union([
    z.strictObject({ size: z.enum(['large', 'small', 'all']) }),
    z.strictObject({ distributorIds: z.array(recordId).check(z.minLength(1), z.maxLength(500)) }),
  ]),
});

export const materialSent = z.object({ distributors: z.number(), emailsQueued: z.number(), suppressed: z.number() });

export const unsubscribePath = z.object({ token: z.string().check(z.minLength(1), z.maxLength(600)) });
