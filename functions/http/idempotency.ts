import { createHash, randomUUID } from 'node:crypto';
import { AlreadyRecorded } from '#adapters/dynamodb';
import { stableId } from '#domain/stable-id';
import { type ApiEvent, Problem } from './api';

/**
 * `Idempotency-Key` without a second store: the key names the record a request creates. The id is
 * derived from the key (in its scope) and the record is written under `attribute_not_exists`, so
 * the write itself is the idempotency check, in the same round trip. A retry after an ambiguous
 * failure (a lost response, a 503) finds the first record and answers as the first request did.
 */

export interface KeyedRequest {
  /** The id of the record this request creates: derived from the key, random without one. */
  id: string;
  /** What was asked, so a key reused for another request is refused rather than replayed. */
  fingerprint: string;
  keyed: boolean;
}

/** Visible ASCII, as clients send UUIDs or similar; anything else is a client error. */
const keyPattern = /^[\x21-\x7e]{1,255}$/;

/** JSON with object keys sorted: the same request reads the same however its fields were ordered. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value && typeof value === 'object'
      ? `{${Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
          .join(',')}}`
      : JSON.stringify(value ?? null);

/**
 * The request's identity. `scope` keeps keys apart: the route, and what the request acts on and
 * for whom (the same key on another opportunity, or from another person, is another request).
 */
export const keyedRequest = (event: ApiEvent, scope: string[], body: unknown): KeyedRequest => {
  const key = event.headers?.['idempotency-key'];
  const fingerprint = createHash('sha256').update(canonical(body)).digest('base64url');
  if (key === undefined || key === '') return { id: randomUUID(), fingerprint, keyed: false };
  if (!keyPattern.test(key)) {
    throw new Problem(400, 'Invalid Idempotency-Key', [
      { path: 'headers.idempotency-key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return { id: stableId(event.routeKey, ...scope, key), fingerprint, keyed: true };
};

/** An id for one of several records a keyed request creates: stable for the key, random without. */
export const partId = (request: KeyedRequest, ...parts: string[]): string =>
  request.keyed ? stableId(request.id, ...parts) : randomUUID();

/**
 * Records once. When the record exists already (`AlreadyRecorded` from the conditional write), a
 * keyed request with the same fingerprint is answered from the first record; another body is a 409.
 */
export const recordOnce = async <T>(
  request: KeyedRequest,
  record: () => Promise<T>,
  first: () => Promise<{ fingerprint?: string; answer: T } | undefined>,
): Promise<T> => {
  try {
    return await record();
  } catch (error) {
    if (!(error instanceof AlreadyRecorded) || !request.keyed) throw error;
    const found = await first();
    if (!found) throw error;
    if (found.fingerprint !== request.fingerprint) {
      throw new Problem(409, 'This Idempotency-Key was used with a different body');
    }
    return found.answer;
  }
};
