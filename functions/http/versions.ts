import type { ApiEvent } from './api';
import { Problem } from './api';

/**
 * Optimistic concurrency for edits (issue 15): a change names the version of the record it was
 * made on (`If-Match`, the `version` a read answered with), so two editors cannot silently
 * overwrite each other; the second hears 409 and reloads.
 */
export const versionSeen = (event: ApiEvent): string => {
  const seen = event.headers?.['if-match']?.trim();
  if (!seen) {
    throw new Problem(428, "Send If-Match with the version you read, so your change cannot overwrite someone else's", [
      { path: 'If-Match', message: "must be the record's version, as read" },
    ]);
  }
  // An ETag's quotes (and a weak marker) are the header's, not the version's.
  return seen.replace(/^W\//, '').replace(/^"|"$/g, '');
};

/** The version header a read or a change answers with. */
export const versionHeader = (version: string) => ({ etag: `"${version}"` });
