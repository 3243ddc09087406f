import { createHash } from 'node:crypto';

/**
 * R17: the SHA-256 a signature is checked against. Apart from the PDF writer, so that whoever
 * only checks a document's hash does not load the PDF library.
 */
export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
