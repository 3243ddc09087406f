import * as z from 'zod/mini';
import { recordId } from '#contract/fields';
import { importFields } from '#domain/contact-import';

/**
 * The column mapping a person may give, field to the file's header: `{"company":"Firma"}`; an
 * empty header leaves the field unread. As the `mapping` query parameter or the
 * `X-Column-Mapping` header (URL-encoded JSON either way).
 */
export const columnMapping = z.partialRecord(z.enum(importFields), z.string().check(z.maxLength(200)));

export const importQuery = z.strictObject({
  dryRun: z.optional(z.enum(['true', 'false'])),
  mapping: z.optional(z.string().check(z.maxLength(4000))),
  fileName: z.optional(z.string().check(z.maxLength(200), z.regex(/^[^\u0000-\u001f<>]*$/, 'must be a plain file name'))),
});

export const importPath = z.object({ id: recordId });
