import { Conflict } from './errors';
import type { TimelineEntry } from './timeline';

/**
 * Editing a record after it was made (issue 15): what changed, from what to what, said once on its
 * timeline; and the version two editors compare, so neither silently overwrites the other.
 */

export interface Change {
  /** The field's path, as the body names it: "contact.email", "probability". */
  field: string;
  from: unknown;
  to: unknown;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The record with the patch laid over it: a nested object is patched field by field, a list or a
 * value is replaced whole, and null clears the field.
 */
export const patched = <T extends object>(record: T, patch: object): T => {
  const result: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete result[name];
    else if (isPlainObject(value) && isPlainObject(result[name])) result[name] = patched(result[name] as object, value);
    else result[name] = value;
  }
  return result as T;
};

/** Each field the patch names whose value it changes. */
export const changesOf = (record: object, patch: object, prefix = ''): Change[] =>
  Object.entries(patch).flatMap(([name, value]): Change[] => {
    if (value === undefined) return [];
    const field = `${prefix}${name}`;
    const before = (record as Record<string, unknown>)[name];
    if (isPlainObject(value) && isPlainObject(before)) return changesOf(before, value, `${field}.`);
    return same(before, value) ? [] : [{ field, from: before ?? null, to: value }];
  });

const shown = (value: unknown): string =>
  value === null || value === undefined || value === '' ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);

/** "contact.email" reads as "contact email". */
const fieldWords = (field: string) =>
  field
    .replace(/\./g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();

/** R27: who changed what from what to what. */
export const editEntry = (changes: readonly Change[], by: string, at: string, id: string): TimelineEntry => ({
  id,
  at,
  actor: by,
  kind: 'edited',
  channel: 'internal',
  summary: `Changed ${changes.map((c) => `${fieldWords(c.field)} from ${shown(c.from)} to ${shown(c.to)}`).join('; ')}`,
  detail: { changes },
});

/**
 * The version a reader saw (the record's updatedAt, sent back in If-Match, with or without the
 * quotes of an ETag) must still be the record's: else someone changed it meanwhile.
 */
export const versionOf = (record: { updatedAt?: string; createdAt: string }): string => record.updatedAt ?? record.createdAt;

export const checkVersion = (record: { updatedAt?: string; createdAt: string }, seen: string, what: string): void => {
  const current = versionOf(record);
  if (seen.replace(/^W\//, '').replace(/^"|"$/g, '') !== current) {
    throw new Conflict(
      `${what} was changed by someone else since you read it (it is now at version ${current}): reload it and make your change again`,
    );
  }
};

/** The next version: now, and always later than the last one, even within the same millisecond. */
export const nextVersion = (previous: string, now: string): string =>
  Date.parse(now) > Date.parse(previous) ? now : new Date(Date.parse(previous) + 1).toISOString();
