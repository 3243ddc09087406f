import * as z from 'zod/mini';
import { emailAddress, isoDateTime, multiLineText, nameText, recordId, text } from '#contract/fields';
import { closeOutcomes } from '#domain/decisions';
import { contact as accountContact } from '#functions/accounts/schemas';
import { leadBody, qualificationBody } from '#functions/leads/schemas';

/**
 * The bodies of the edits and decisions of issue 15. An edit names only the fields it changes,
 * each checked as on create (the same field schemas); null clears a field that may be empty.
 */

const somethingToChange = z.refine((patch: unknown) => Object.values(patch as object).some((value) => value !== undefined), {
  message: 'name at least one field to change',
});

const leadContact = leadBody.shape.contact.shape;

export const leadPatch = z
  .strictObject({
    contact: z.optional(
      z.strictObject({
        name: z.optional(leadContact.name),
        email: z.optional(leadContact.email),
        company: z.optional(leadContact.company),
        phone: z.optional(z.nullable(leadContact.phone)),
        country: z.optional(z.nullable(leadContact.country)),
      }),
    ),
    interest: z.optional(z.partial(leadBody.shape.interest.def.innerType)),
  })
  .check(somethingToChange);

const qualification = qualificationBody.shape;

/** Expected close date and probability, for the forecast. */
export const forecastFields = {
  expectedCloseOn: z.optional(z.nullable(qualification.expectedCloseOn.def.innerType)),
  probability: z.optional(z.nullable(qualification.probability.def.innerType)),
};

export const opportunityPatch = z
  .strictObject({
    company: z.optional(nameText()),
    ...forecastFields,
    qualification: z.optional(
      z.strictObject({
        business: z.optional(qualification.business),
        buyingConcept: z.optional(qualification.buyingConcept),
        application: z.optional(qualification.application),
        budget: z.optional(qualification.budget),
        timing: z.optional(qualification.timing),
        productNeeds: z.optional(qualification.productNeeds),
        estimatedValueGbp: z.optional(qualification.estimatedValueGbp),
      }),
    ),
  })
  .check(somethingToChange);

export const accountPatch = z
  .strictObject({
    name: z.optional(nameText()),
    selected: z.optional(z.boolean()),
    contacts: z.optional(z.array(accountContact).check(z.minLength(1, 'an account needs at least one contact'), z.maxLength(20))),
  })
  .check(somethingToChange);

/** Whose the record is from now on: the sales director or the MD decides. */
export const reassignmentBody = z.strictObject({
  owner: emailAddress,
  reason: z.optional(text(500)),
});

export const disqualificationBody = z.strictObject({ reason: multiLineText(1000) });

export const mergeBody = z.strictObject({ into: recordId });

export const closeBody = z
  .strictObject({
    outcome: z.enum(closeOutcomes),
    reason: multiLineText(1000),
    competitor: z.optional(nameText()),
  })
  .check(
    z.superRefine((body, ctx) => {
      if (body.outcome === 'won' && body.competitor) {
        ctx.addIssue({
          code: 'custom',
          path: ['competitor'],
          message: 'only a lost opportunity names the competitor who won it',
          input: body.competitor,
        });
      }
    }),
  );

export const taskSubjectKinds = ['lead', 'opportunity', 'account', 'order', 'quote'] as const;

export const taskBody = z.strictObject({
  subject: z.strictObject({ kind: z.enum(taskSubjectKinds), id: recordId }),
  title: text(200),
  dueAt: isoDateTime,
});

/** What a change answers: the record's new version, for the next If-Match (also the ETag header). */
export const changed = z.object({ id: z.string(), version: z.string() });
export const merged = z.object({ id: z.string(), mergedInto: z.string() });
export const taskAdded = z.object({ id: z.string(), dueAt: z.string() });
export const taskClosed = z.object({ id: z.string(), status: z.literal('done') });
