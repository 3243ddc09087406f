import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Gone, NotAllowed } from './errors';

/**
 * R28: people outside the building act through emailed links to /actions/{token}. The token names
 * a server-side action (which holds the Step Functions task token, up to 2 KB, never put in a
 * URL), says until when it is valid, and carries an HMAC-SHA256 over both, so a forged or altered
 * link is refused before anything is read. Single use is the action record's business.
 *
 * Token: v1.<actionId>.<expires, epoch seconds>.<signature, base64url>
 */

const version = 'v1';

export const newActionId = (): string => randomBytes(16).toString('base64url');

const signatureOf = (key: Buffer, actionId: string, expiresAt: number): Buffer =>
  createHmac('sha256', key).update(`${version}.${actionId}.${expiresAt}`).digest();

export const signActionLink = (key: Buffer, actionId: string, expiresAt: Date): string => {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${version}.${actionId}.${expires}.${signatureOf(key, actionId, expires).toString('base64url')}`;
};

/** The action a link names, if the link is genuine and still valid; else 403 (forged) or 410 (expired). */
export const verifyActionLink = (key: Buffer, token: string, now: Date): { actionId: string; expiresAt: Date } => {
  const parts = token.split('.');
  const [tag, actionId, expires, signature] = parts;
  if (parts.length !== 4 || tag !== version || !/^[A-Za-z0-9_-]{22}$/.test(actionId!) || !/^\d{1,12}$/.test(expires!)) {
    throw new NotAllowed('This link is not one salesflow sent');
  }
  // Compared as text: base64url's last character has spare bits, so decoding would let a link
  // that differs in one character through.
  const expected = Buffer.from(signatureOf(key, actionId!, Number(expires)).toString('base64url'));
  const given = Buffer.from(signature!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new NotAllowed('This link is not one salesflow sent');
  }
  const expiresAt = new Date(Number(expires) * 1000);
  if (expiresAt <= now) throw new Gone('This link has expired; ask for a new one');
  return { actionId: actionId!, expiresAt };
};
