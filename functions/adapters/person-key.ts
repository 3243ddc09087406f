import { createHash } from 'node:crypto';
import { personIndex } from './table-design';

/** An address as the table may hold it in a key: its SHA-256, of the trimmed lower-case address. */
export const emailHash = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

/** The person-index keys of an item naming `email`. */
export const personKeys = (email: string | undefined, key: { pk: string; sk: string }) =>
  email ? personIndex.keysFor(emailHash(email), key) : {};
