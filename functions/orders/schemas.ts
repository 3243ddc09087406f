import * as z from 'zod/mini';
import { isoDateTime, multiLineText, nameText, recordId, referenceId, text } from '#contract/fields';
import { orderSteps } from '#domain/order';
import { contact } from '#functions/accounts/schemas';

/** R20: a PO or signed contract, as Sales Admin enters it (docs/api.md). */
export const orderLine = z.strictObject({
  sku: referenceId,
  description: text(500),
  quantity: z.number().check(z.int('must be a whole number'), z.positive('must be at least 1'), z.lte(100_000)),
  unitPrice: z.number().check(z.nonnegative('must not be negative'), z.lte(100_000_000), z.multipleOf(0.01, 'must be in whole pence')),
});

export const orderBody = z
  .strictObject({
    accountId: recordId,
    opportunityId: z.optional(recordId),
    poNumber: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'must not be empty'),
        z.maxLength(64),
        z.regex(/^[A-Za-z0-9 ._/-]+$/, 'must be letters, digits, spaces, . _ / or -'),
      ),
    /** The signed quote the order follows: its lines are copied unless `lines` are sent. */
    quoteId: z.optional(recordId),
    lines: z.optional(z.array(orderLine).check(z.minLength(1, 'an order needs at least one line'), z.maxLength(200))),
    /** Why the lines depart from the signed quote's; required when they do. */
    differenceReason: z.optional(multiLineText(2000)),
    userContact: contact,
    system: z.optional(
      z.strictObject({ model: z.optional(nameText()), serialNumbers: z.optional(z.array(referenceId).check(z.maxLength(100))) }),
    ),
  })
  .check(
    z.superRefine((order, ctx) => {
      if (!order.quoteId && !order.lines)
        ctx.addIssue({ code: 'custom', path: ['lines'], message: 'an order needs at least one line, or a signed quote to copy them from' });
      if (!order.quoteId && order.differenceReason)
        ctx.addIssue({ code: 'custom', path: ['differenceReason'], message: 'only an order built from a quote can differ from it' });
    }),
  );

export const orderCreated = z.object({ id: z.uuid() });

export const shipmentBody = z.strictObject({
  shippedAt: isoDateTime,
  carrier: z.optional(nameText(100)),
  tracking: z.optional(referenceId),
});

export const orderStepPath = z.object({ id: recordId, step: z.enum(orderSteps) });

/** What each step on an order takes, through a link or the internal route alike. */
export const orderStepBodies = {
  'contract-review': z.strictObject({ notes: z.optional(multiLineText(4000)) }),
  packing: z.strictObject({ notes: z.optional(multiLineText(2000)) }),
  'equipment-check': z.strictObject({ ok: z.boolean(), notes: z.optional(multiLineText(4000)) }).check(
    z.superRefine((answer, ctx) => {
      // R26: "no" opens a corrective action, which needs to say what is wrong.
      if (!answer.ok && !answer.notes)
        ctx.addIssue({ code: 'custom', path: ['notes'], message: 'say what is wrong, for Engineering and support' });
    }),
  ),
  'corrective-action': z.strictObject({ resolution: multiLineText(4000) }),
} as const;

/** R25: the distributor's answer to "everything received in good order?". */
export const deliveryAnswerBody = z.strictObject({ allReceived: z.boolean(), notes: z.optional(multiLineText(4000)) });

/** R24: the customer chooses a password through the one-time link. */
export const setPasswordBody = z.strictObject({ password: z.string().check(z.minLength(1), z.maxLength(200)) });
