import * as z from 'zod/mini';
import { reportNames } from '#domain/rollups';

/** A month as the reports take it: 2026-11. */
const month = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, as YYYY-MM'));

/** An unknown report is no record: 404, as any unknown path. */
export const reportPath = z.object({ name: z.enum(reportNames) });

export const reportQuery = z.strictObject({
  from: z.optional(month),
  to: z.optional(month),
  owner: z.optional(z.string().check(z.trim(), z.toLowerCase(), z.email({ message: 'must be an email address' }), z.maxLength(254))),
  format: z.optional(z.enum(['json', 'csv'])),
});
