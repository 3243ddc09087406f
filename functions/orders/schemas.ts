import * as z from 'zod';
import { orderTasks } from '#domain/order';
import { isoDateTime, multiLineText, nameText, recordId, referenceId, text } from '#contract/fields';
import { contact } from '#functions/accounts/schemas';

/** R20: a PO or signed contract, as Sales Admin enters it (docs/api.md). */
export const orderLine = z.strictObject({
  sku: referenceId,
  description: text(500),
  quantity: z.number().int('must be a whole number').positive('must be at least 1').max(100_000),
  unitPrice: z.number().nonnegative('must not be negative').max(100_000_000).multipleOf(0.01, 'must be in whole pence'),
});

export const orderBody = z.strictObject({
  accountId: recordId,
  opportunityId: recordId.optional(),
  poNumber: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64)
    .regex(/^[A-Za-z0-9 ._/-]+$/, 'must be letters, digits, spaces, . _ / or -'),
  lines: z.array(orderLine).min(1, 'an order needs at least one line').max(200),
  userContact: contact,
  system: z
    .strictObject({ model: nameText().optional(), serialNumbers: z.array(referenceId).max(100).optional() })
    .optional(),
});

export const orderCreated = z.object({ id: z.uuid() });

export const shipmentBody = z.strictObject({
  shippedAt: isoDateTime,
  carrier: nameText(100).optional(),
  tracking: referenceId.optional(),
});

export const orderTaskPath = z.object({ id: recordId, task: z.enum(orderTasks) });

/** What each step on an order takes, through a link or the internal route alike. */
export const orderTaskBodies = {
  'contract-review': z.strictObject({ notes: multiLineText(4000).optional() }),
  packing: z.strictObject({ notes: multiLineText(2000).optional() }),
  'equipment-check': z.strictObject({ ok: z.boolean(), notes: multiLineText(4000).optional() }).superRefine((answer, ctx) => {
    // R26: "no" opens a corrective action, which needs to say what is wrong.
    if (!answer.ok && !answer.notes) ctx.addIssue({ code: 'custom', path: ['notes'], message: 'say what is wrong, for Engineering and support' });
  }),
  'corrective-action': z.strictObject({ resolution: multiLineText(4000) }),
} as const;

/** R25: the distributor's answer to "everything received in good order?". */
export const deliveryAnswerBody = z.strictObject({ allReceived: z.boolean(), notes: multiLineText(4000).optional() });

/** R24: the customer chooses a password through the one-time link. */
export const setPasswordBody = z.strictObject({ password: z.string().min(1).max(200) });
