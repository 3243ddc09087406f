import * as z from 'zod/mini';
import './messages';

/** Field shapes shared by every body: one definition each, so the rules read the same everywhere. */

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/*
 * What a person can have meant to type. A lone surrogate is not text at all: stored, it breaks
 * every reader that decodes strictly (`aws dynamodb scan` fails for the whole table). Control
 * characters and bidi overrides/isolates hide or reorder what a reader sees ("Trojan Source").
 * NFC so that "e\u0301" and "é" are one name when compared, searched or deduplicated.
 */
const loneSurrogate = /\p{Cs}/u; // with the u flag, only an unpaired half matches
/** Tabs and line breaks: layout in prose, but a name or a title is one line. */
const layoutControl = /[\t\n\r\u2028\u2029]/;
/** C0, DEL and C1, less the tab and line feed that prose may hold (CR is made LF before this). */
const otherControl = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const bidiControl = /[\u202A-\u202E\u2066-\u2069]/;
/** Nothing a reader would see: spaces, zero-width and other default-ignorable characters. */
const invisibleOnly = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}]*$/u;
/** Trimmed besides whitespace: zero-width spaces carried in by copy and paste (ZWJ/ZWNJ stay, they join). */
const edges = /^[\s\u200B\u2060]+|[\s\u200B\u2060]+$/g;

/** Why a string is not well-formed text, in words for the person who typed it; undefined if it is. */
export const textProblem = (value: string, multiLine: boolean): string | undefined => {
  if (loneSurrogate.test(value)) return 'must not contain broken characters (unpaired surrogates)';
  if (!multiLine && layoutControl.test(value)) return 'must be one line, without tabs or line breaks';
  if (otherControl.test(value)) return 'must not contain control characters';
  if (bidiControl.test(value)) return 'must not contain text-direction override characters';
  if (value !== '' && invisibleOnly.test(value)) return 'must not be only invisible characters';
  return undefined;
};

const wellFormedText = (max: number, { multiLine = false, allowEmpty = false } = {}) => {
  const tidied = z.string().check(
    z.overwrite((value) => {
      // A form's textarea posts CRLF; one line break is one \n however it arrived.
      const lines = multiLine ? value.replace(/\r\n?/g, '\n') : value;
      // NFC before the length checks, which then bound what is stored (NFC can lengthen a few scripts).
      return lines.replace(edges, '').normalize('NFC');
    }),
  );
  return (allowEmpty ? tidied : tidied.check(z.minLength(1, 'must not be empty'))).check(
    z.maxLength(max, `must be at most ${max} characters`),
    z.superRefine((value, ctx) => {
      const problem = textProblem(value, multiLine);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
    }),
  );
};

/** One line of free text: trimmed, bounded, well-formed. It is escaped wherever it is shown. */
export const text = (max: number) => wellFormedText(max);

/** Prose (notes, advice, a message): as `text`, and line breaks and tabs are kept. */
export const multiLineText = (max: number) => wellFormedText(max, { multiLine: true });

/** Prose that may be left blank, where blank means "none" (stored as ""). */
export const multiLineTextOrBlank = (max: number) => wellFormedText(max, { multiLine: true, allowEmpty: true });

/** Names of people and companies: one line, no markup, ever. */
export const nameText = (max = 200) => text(max).check(z.refine((value) => !/[<>]/.test(value), { message: 'must not contain < or >' }));

export const emailAddress = z.email({ message: 'must be an email address' }).check(z.maxLength(254), z.toLowerCase());

export const phone = z.string().check(z.trim(), z.maxLength(40), z.regex(/^\+?[0-9 ()./-]{5,}$/, 'must be a phone number'));

/** ISO 3166-1 alpha-2, such as GB or DE. */
export const countryCode = z.string().check(
  z.trim(),
  z.toUpperCase(),
  z.refine((code) => /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== undefined, {
    message: 'must be an ISO 3166-1 alpha-2 country code',
  }),
);

/** Ids we issue: UUIDs. */
export const recordId = z.uuid({ message: 'must be an id issued by salesflow' });

/** Ids given by others (campaigns, distributors): bounded and plain. */
export const referenceId = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9._:-]+$/, 'must be letters, digits, . _ : or -'));

export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const idPath = z.object({ id: recordId });
