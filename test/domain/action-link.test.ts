import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newActionId, signActionLink, verifyActionLink } from '#domain/action-link';
import { Gone, NotAllowed } from '#domain/errors';

const key = randomBytes(32);
const now = new Date('2026-11-23T12:00:00Z');
const later = new Date('2026-11-30T12:00:00Z');

describe('emailed links (R28)', () => {
  it('a link salesflow signed names its action until it expires', () => {
    const actionId = newActionId();
    expect(verifyActionLink(key, signActionLink(key, actionId, later), now)).toEqual({ actionId, expiresAt: later });
  });

  it('an expired link is gone, not forged', () => {
    const token = signActionLink(key, newActionId(), now);
    expect(() => verifyActionLink(key, token, now)).toThrow(Gone);
  });

  it('a link signed with another key is refused', () => {
    const token = signActionLink(randomBytes(32), newActionId(), later);
    expect(() => verifyActionLink(key, token, now)).toThrow(NotAllowed);
  });

  it('changing any one character of a link makes it a forgery', () => {
    const token = signActionLink(key, newActionId(), later);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (at, replacement) => {
        fc.pre(token[at] !== replacement);
        const altered = token.slice(0, at) + replacement + token.slice(at + 1);
        try {
          verifyActionLink(key, altered, now);
          return false;
        } catch (error) {
          // A later expiry with the old signature is a forgery too; an earlier one may merely have passed.
          return error instanceof NotAllowed || error instanceof Gone;
        }
      }),
    );
  });

  it("refuses a link whose signature only differs in base64url's spare bits (found by the property above)", () => {
    const token = signActionLink(key, newActionId(), later);
    const signature = token.split('.')[3]!;
    const bytes = Buffer.from(signature, 'base64url');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = [...alphabet]
      .map((c) => signature.slice(0, -1) + c)
      .find((variant) => variant !== signature && Buffer.from(variant, 'base64url').equals(bytes));
    expect(twin).toBeDefined();
    expect(() => verifyActionLink(key, `${token.slice(0, -signature.length)}${twin}`, now)).toThrow(NotAllowed);
  });
});
