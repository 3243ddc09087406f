import * as z from 'zod/mini';
import { accountKinds } from '#domain/account';
import { pipelineStages } from '#domain/pipeline';
import { quoteStatuses } from '#domain/quote';
import { emailAddress } from './fields';

/**
 * The queries of the lists and of search (issue 15): each list pages with an opaque cursor,
 * newest first unless asked otherwise, at most 100 a page.
 */

const described = <T extends z.ZodMiniType>(schema: T, description: string): T => {
  z.globalRegistry.add(schema, { description });
  return schema;
};

const day = (description: string) => described(z.optional(z.iso.date({ message: 'must be a date, YYYY-MM-DD' })), description);
const amount = (description: string) => described(z.optional(z.coerce.number().check(z.gte(0), z.lte(1e12))), description);

const paging = {
  owner: described(z.optional(emailAddress), "The owning SM's records only (an SM may name themself or their reports)"),
  createdFrom: day('Created on or after this day (UTC)'),
  createdTo: day('Created on or before this day (UTC)'),
  order: described(z._default(z.enum(['newest', 'oldest']), 'newest'), 'By creation, newest first unless oldest'),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: described(z.optional(z.string().check(z.maxLength(2048))), 'nextCursor of the page before: opaque'),
};

export const accountListQuery = z.strictObject({
  kind: z.optional(z.enum(accountKinds)),
  ...paging,
});

/** An opportunity's stage is where its quotes and orders put it (the pipeline's). */
export const opportunityStages = pipelineStages.filter((stage) => stage !== 'suspect');

export const opportunityListQuery = z.strictObject({
  stage: z.optional(z.enum(opportunityStages as ['prospect', 'quoting', 'quoted', 'ordered'])),
  minValue: amount('Estimated value at least this (GBP)'),
  maxValue: amount('Estimated value at most this (GBP)'),
  ...paging,
});

export const quoteListQuery = z.strictObject({
  status: z.optional(z.enum(quoteStatuses)),
  ...paging,
});

export const orderStatuses = ['received', 'shipped'] as const;

export const orderListQuery = z.strictObject({
  status: z.optional(z.enum(orderStatuses)),
  shippedFrom: day('Shipped on or after this day (UTC)'),
  shippedTo: day('Shipped on or before this day (UTC)'),
  ...paging,
});

export const searchQuery = z.strictObject({
  q: described(
    z.string().check(z.trim(), z.minLength(2, 'must be at least 2 characters'), z.maxLength(100, 'must be at most 100 characters')),
    'The start of a company, a name (any word of it), an email address or its domain, a PO or quote number; accents and case ignored',
  ),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(20)), 20),
});

export const searchHit = z.object({
  kind: z.enum(['lead', 'opportunity', 'account', 'quote', 'order']),
  id: z.string(),
  title: z.string(),
  subtitle: z.string(),
  href: z.string(),
});
