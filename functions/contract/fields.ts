import * as z from 'zod';

/** Field shapes shared by every body: one definition each, so the rules read the same everywhere. */

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** Free text: trimmed, bounded. It may hold anything, and is escaped wherever it is shown. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** Names of people and companies: no markup, ever. */
export const nameText = (max = 200) =>
  text(max).refine((value) => !/[<>]/.test(value), { message: 'must not contain < or >' });

export const emailAddress = z.email({ message: 'must be an email address' }).max(254).toLowerCase();

export const phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^\+?[0-9 ()./-]{5,}$/, 'must be a phone number');

/** ISO 3166-1 alpha-2, such as GB or DE. */
export const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== undefined, {
    message: 'must be an ISO 3166-1 alpha-2 country code',
  });

/** Ids we issue: UUIDs. */
export const recordId = z.uuid({ message: 'must be an id issued by salesflow' });

/** Ids given by others (campaigns, distributors): bounded and plain. */
export const referenceId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be letters, digits, . _ : or -');

export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const idPath = z.object({ id: recordId });
