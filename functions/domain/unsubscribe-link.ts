import { createHmac, timingSafeEqual } from 'node:crypto';
import { NotAllowed } from './errors';

/**
 * R2: every bulk email carries a link that takes its address off bulk mail. It names the address
 * and is signed (HMAC-SHA256 with the same key as action links), so nobody can unsubscribe
 * someone else. It never expires: an unsubscribe link must keep working.
 *
 * Token: u1.<address, base64url>.<signature, base64url>
 */
const version = 'u1';

const signatureOf = (key: Buffer, address: string) => createHmac('sha256', key).update(`${version}.${address}`).digest();

export const signUnsubscribe = (key: Buffer, address: string): string => {
  const normal = address.toLowerCase();
  return `${version}.${Buffer.from(normal).toString('base64url')}.${signatureOf(key, normal).toString('base64url')}`;
};

export const verifyUnsubscribe = (key: Buffer, token: string): string => {
  const [tag, encoded, signature, ...rest] = token.split('.');
  if (tag !== version || !encoded || !signature || rest.length) throw new NotAllowed('This link is not one salesflow sent');
  const address = Buffer.from(encoded, 'base64url').toString();
  // As text, for the same reason as emailed links: base64url's spare bits would let a variant through.
  const expected = Buffer.from(signatureOf(key, address).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new NotAllowed('This link is not one salesflow sent');
  return address;
};
