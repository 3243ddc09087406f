import { createHash } from 'node:crypto';

/**
 * An RFC 9562 version-8 (custom) UUID from its parts: the same parts always name the same record,
 * so a retried step or request writes the record it wrote before instead of a second one.
 */
export const stableId = (...parts: string[]): string => {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
