import * as z from 'zod/mini';
import { countryCode, multiLineText, recordId, referenceId, text } from '#contract/fields';
import { type QuoteStep, quoteSteps } from '#domain/quote';

/** R13/R14: the quote lines and proposal the SM defines. */
export const quoteLine = z.strictObject({
  sku: referenceId,
  description: text(500),
  quantity: z.number().check(z.int('must be a whole number'), z.positive('must be at least 1'), z.lte(100_000)),
  unitPriceGbp: z.number().check(z.nonnegative('must not be negative'), z.lte(100_000_000), z.multipleOf(0.01, 'must be in whole pence')),
  discountPercent: z._default(z.number().check(z.gte(0, 'must not be negative'), z.lte(100, 'must be at most 100')), 0),
});

/** The price of one unit: pounds in whole pence. */
const unitPriceGbp = z
  .number()
  .check(z.nonnegative('must not be negative'), z.lte(100_000_000), z.multipleOf(0.01, 'must be in whole pence'));

/** A product of the price list, which the quote request page offers the SM (SalesAdmin keeps it). */
export const productBody = z.strictObject({
  sku: referenceId,
  description: text(500),
  unitPriceGbp,
});

// 200 lines: a long quote runs to a few dozen; 200 lines stay well under the 64 KiB body limit.
export const quoteBody = z.strictObject({
  lines: z.array(quoteLine).check(z.minLength(1, 'a quote needs at least one line'), z.maxLength(200, 'a quote has at most 200 lines')),
  proposalSummary: multiLineText(4000),
  nonStandardRequirements: z._default(z.nullable(multiLineText(4000)), null),
  validForDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(365)), 30),
  /** Where the goods go, when not the lead's country: it decides the VAT. */
  customerCountry: z.optional(countryCode),
});

/** R19: what the customer requires of a formal contract. */
export const contractBody = z.strictObject({
  quoteId: recordId,
  requirements: multiLineText(4000),
});

// Each field's description is its label on the step's page (functions/actions/step-page: fieldsOf).
const decision = z.enum(['approve', 'reject']).check(z.describe('Your decision'));
const reason = (max: number) => multiLineText(max).check(z.describe('Reason (needed when you reject: the sales manager reads it)'));

/** R15: a rejection goes back to the SM, so it must say why. */
const reasonOnRejection = <T extends { decision: 'approve' | 'reject'; reason?: string }>(value: T, ctx: z.core.$RefinementCtx<T>) => {
  if (value.decision === 'reject' && !value.reason) {
    ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection needs a reason for the SM' });
  }
};

/**
 * What each person's step takes; the same bodies through a link or the internal route. A link's
 * page asks for each with a textarea, so every answer may run to several lines.
 */
export const stepBodies = {
  'prepare-qpa': z.strictObject({
    text: multiLineText(8000).check(z.describe('The case for the price: the customer, the competition, why this discount or total')),
  }),
  'approve-qpa': z.strictObject({ decision, reason: z.optional(reason(2000)) }).check(z.superRefine(reasonOnRejection)),
  'prepare-quote': z.strictObject({
    paymentTerms: multiLineText(500).check(z.describe('Payment terms')),
    deliveryTerms: multiLineText(500).check(z.describe('Delivery terms')),
    terms: z.optional(multiLineText(4000).check(z.describe('Terms and conditions'))),
    notes: z.optional(multiLineText(4000).check(z.describe('Notes'))),
  }),
  'engineering-assistance': z.strictObject({
    text: multiLineText(8000).check(z.describe('Your technical input for the application engineer')),
  }),
  'prepare-proposal': z.strictObject({ text: multiLineText(20000).check(z.describe('The technical proposal')) }),
  sign: z.strictObject({
    confirm: z
      .literal(true, 'must be true: you sign the document as it stands')
      .check(z.describe('I have reviewed the document and sign it as it stands')),
  }),
  'approve-contract': z
    .strictObject({
      decision,
      reason: z.optional(reason(2000)),
      terms: z.optional(multiLineText(8000).check(z.describe('Terms as negotiated'))),
    })
    .check(z.superRefine(reasonOnRejection)),
} satisfies Record<QuoteStep, z.ZodMiniType>;

export const quotePath = z.object({ id: recordId });
export const stepPath = z.object({ id: recordId, step: z.enum(quoteSteps) });
