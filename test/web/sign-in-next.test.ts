import { describe, expect, it } from 'vitest';

// The page's own module, as the browser loads it (plain JS, checked by web/tsconfig.json).
const page: string = '../../web/assets/pages/sign-in-next.js';
const { nextAfterSignIn } = (await import(page)) as { nextAfterSignIn: (next: string | null, origin: string) => string };

/** After sign-in the browser goes to `next` only if it stays on this site (issue 13: open redirect). */
const origin = 'http://127.0.0.1:3000';
const home = `${origin}/app/`;

describe('where sign-in goes next', () => {
  it.each([
    ['/app/lead.html?id=42', `${origin}/app/lead.html?id=42`],
    ['/app/quote.html?id=q#steps', `${origin}/app/quote.html?id=q#steps`],
    ['app/agenda.html', `${origin}/app/agenda.html`],
    [`${origin}/app/order.html?id=7`, `${origin}/app/order.html?id=7`],
    // Encoded characters stay encoded in a path of this site.
    ['/%5Cevil.test/x', `${origin}/%5Cevil.test/x`],
  ])('%s stays on the site', (next, expected) => {
    expect(nextAfterSignIn(next, origin)).toBe(expected);
  });

  it.each([
    ['backslash', '/\\evil.test/x'],
    ['two backslashes', '\\\\evil.test/x'],
    ['tab', '/\t/evil.test/x'],
    ['newline', '/\n/evil.test/x'],
    ['protocol-relative', '//evil.test/x'],
    ['protocol-relative after a dot segment', '/.//evil.test/x'],
    ['another origin', 'https://evil.test/x'],
    ['another port', 'http://127.0.0.1:3001/app/'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['leading spaces', '  //evil.test/x'],
    ['user info', 'http://127.0.0.1:3000@evil.test/x'],
  ])('%s goes home instead', (_, next) => {
    const resolved = nextAfterSignIn(next, origin);
    expect(new URL(resolved).origin).toBe(origin);
    // Nothing a browser could take for another host.
    expect(new URL(resolved).pathname.startsWith('//')).toBe(false);
  });

  it('nothing asked: the pipeline', () => {
    expect(nextAfterSignIn(null, origin)).toBe(home);
    expect(nextAfterSignIn('', origin)).toBe(home);
  });
});
