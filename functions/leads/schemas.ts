import * as z from 'zod/mini';
import { countryCode, emailAddress, multiLineText, multiLineTextOrBlank, nameText, phone, referenceId, text } from '#contract/fields';
import { leadChannels, leadSources, leadStatuses } from '#domain/lead';
import { literatureCodes } from '#domain/literature';
import { buyingInfluenceRoles, qualificationRoutes } from '#domain/opportunity';

/** R3: a customer response, as the web form, Sales Admin or a script posts it. */
export const leadBody = z.strictObject({
  channel: z.enum(leadChannels),
  source: z.enum(leadSources),
  campaignId: z.optional(referenceId),
  distributorId: z.optional(referenceId),
  contact: z.strictObject({
    name: nameText(),
    email: emailAddress,
    company: nameText(),
    phone: z.optional(phone),
    country: z.optional(countryCode),
  }),
  interest: z.optional(
    z.strictObject({
      products: z.optional(z.array(text(100)).check(z.maxLength(20))),
      message: z.optional(multiLineText(4000)),
    }),
  ),
  literature: z.optional(
    z.pipe(
      z.array(z.enum(literatureCodes)),
      z.transform((codes) => [...new Set(codes)]),
    ),
  ),
  /** The honeypot: people never see it, so people leave it empty. */
  website: z.optional(z.string().check(z.maxLength(2000))).register(z.globalRegistry, { description: 'Leave empty (spam trap)' }),
});
export type LeadBody = z.output<typeof leadBody>;

const list = (value: string | string[] | undefined): string[] | undefined => {
  const values = (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((v) => v.split(/[\n,]/))
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length ? values : undefined;
};
const field = (value: string | string[] | undefined): string | undefined => {
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() ? single : undefined;
};

/** An HTML form posts flat fields (contact.name, literature twice...); give them the body's shape. */
export const leadFromForm = (f: Record<string, string | string[] | undefined>): unknown => ({
  channel: field(f.channel) ?? 'web-form',
  source: field(f.source),
  campaignId: field(f.campaignId),
  distributorId: field(f.distributorId),
  contact: {
    name: field(f['contact.name']),
    email: field(f['contact.email']),
    company: field(f['contact.company']),
    phone: field(f['contact.phone']),
    country: field(f['contact.country']),
  },
  interest: { products: list(f['interest.products']), message: field(f['interest.message']) },
  literature: list(f.literature),
  website: field(f.website),
});

export const leadCreated = z.object({ id: z.string(), status: z.enum(leadStatuses) });

export const leadListQuery = z.strictObject({
  status: z.optional(z.enum(leadStatuses)).register(z.globalRegistry, { description: 'Defaults to suspect unless owner is given' }),
  owner: z.optional(emailAddress),
  channel: z.optional(z.enum(leadChannels)),
  campaignId: z.optional(referenceId),
  createdFrom: z
    .optional(z.iso.date({ message: 'must be a date, YYYY-MM-DD' }))
    .register(z.globalRegistry, { description: 'Logged on or after this day (UTC)' }),
  createdTo: z
    .optional(z.iso.date({ message: 'must be a date, YYYY-MM-DD' }))
    .register(z.globalRegistry, { description: 'Logged on or before this day (UTC)' }),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

/** R9: what the SM learnt qualifying the prospect. */
export const qualificationBody = z.strictObject({
  business: multiLineText(2000),
  buyingConcept: multiLineText(2000),
  application: multiLineText(2000),
  budget: text(500),
  timing: text(500),
  buyingInfluences: z.array(z.strictObject({ name: nameText(), role: z.enum(buyingInfluenceRoles) })).check(z.maxLength(30)),
  productNeeds: z.array(text(200)).check(z.maxLength(50)),
  /** Blank when there are none (the form's hint), so blank stays allowed. */
  nonStandardRequirements: z.nullable(multiLineTextOrBlank(4000)),
  estimatedValueGbp: z.number().check(z.nonnegative(), z.lte(1e12)),
  via: z.enum(qualificationRoutes),
  /** For the forecast, if the SM knows already; PATCH /opportunities/{id} sets them later. */
  expectedCloseOn: z.optional(z.iso.date({ message: 'must be a date, YYYY-MM-DD' })),
  probability: z.optional(z.int().check(z.minimum(0, 'must be 0 to 100'), z.maximum(100, 'must be 0 to 100'))),
});

export const qualificationResult = z.object({
  opportunityId: z.string(),
  engineeringReview: z.enum(['required', 'not-required']),
});
