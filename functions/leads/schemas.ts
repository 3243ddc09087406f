import * as z from 'zod';
import { leadChannels, leadSources, leadStatuses } from '#domain/lead';
import { literatureCodes } from '#domain/literature';
import { buyingInfluenceRoles, qualificationRoutes } from '#domain/opportunity';
import { countryCode, emailAddress, multiLineText, multiLineTextOrBlank, nameText, phone, referenceId, text } from '#contract/fields';

/** R3: a customer response, as the web form, Sales Admin or a script posts it. */
export const leadBody = z.strictObject({
  channel: z.enum(leadChannels),
  source: z.enum(leadSources),
  campaignId: referenceId.optional(),
  distributorId: referenceId.optional(),
  contact: z.strictObject({
    name: nameText(),
    email: emailAddress,
    company: nameText(),
    phone: phone.optional(),
    country: countryCode.optional(),
  }),
  interest: z
    .strictObject({
      products: z.array(text(100)).max(20).optional(),
      message: multiLineText(4000).optional(),
    })
    .optional(),
  literature: z
    .array(z.enum(literatureCodes))
    .transform((codes) => [...new Set(codes)])
    .optional(),
  /** The honeypot: people never see it, so people leave it empty. */
  website: z.string().max(2000).optional().meta({ description: 'Leave empty (spam trap)' }),
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
  status: z.enum(leadStatuses).optional().meta({ description: 'Defaults to suspect unless owner is given' }),
  owner: emailAddress.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

/** R9: what the SM learnt qualifying the prospect. */
export const qualificationBody = z.strictObject({
  business: multiLineText(2000),
  buyingConcept: multiLineText(2000),
  application: multiLineText(2000),
  budget: text(500),
  timing: text(500),
  buyingInfluences: z.array(z.strictObject({ name: nameText(), role: z.enum(buyingInfluenceRoles) })).max(30),
  productNeeds: z.array(text(200)).max(50),
  /** Blank when there are none (the form's hint), so blank stays allowed. */
  nonStandardRequirements: multiLineTextOrBlank(4000).nullable(),
  estimatedValueGbp: z.number().finite().nonnegative().max(1e12),
  via: z.enum(qualificationRoutes),
});

export const qualificationResult = z.object({
  opportunityId: z.string(),
  engineeringReview: z.enum(['required', 'not-required']),
});
