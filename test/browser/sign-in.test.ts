import { describe, expect, it } from 'vitest';
import { stack } from '../integration/local-stack';
import { useChromium } from './chromium';

/**
 * The sign-in page goes to `next` only on this site (issue 13: `?next=/%5Cevil.test/x` and
 * `?next=/%09/evil.test/x` used to land on http://evil.test/x). Driven in Chromium, as people do.
 */
const { browser } = useChromium();

const site = new URL(stack.api);

const landsAfterSignIn = async (next: string): Promise<URL> => {
  const context = await browser().newContext({ baseURL: stack.api });
  // Nothing may leave this site: a request elsewhere is recorded and refused.
  const elsewhere: string[] = [];
  await context.route(
    (url) => url.host !== site.host,
    (route) => {
      elsewhere.push(route.request().url());
      return route.abort();
    },
  );
  const page = await context.newPage();
  await page.goto(`/sign-in.html?next=${next}`);
  await page.getByLabel('Email').fill('sm.uk@salesflow.example');
  await page.getByLabel('SalesManager', { exact: true }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in.html'));
  const landed = new URL(page.url());
  await context.close();
  expect(elsewhere).toEqual([]);
  return landed;
};

describe('sign-in goes back only to this site', () => {
  it.each([
    ['backslash', '/%5Cevil.test/x'],
    ['raw backslash', encodeURIComponent('/\\evil.test/x')],
    ['tab', '/%09/evil.test/x'],
    ['protocol-relative', encodeURIComponent('//evil.test/x')],
    ['another origin', encodeURIComponent('https://evil.test/x')],
    ['javascript:', encodeURIComponent('javascript:alert(1)')],
  ])('%s stays on the site', async (_, next) => {
    const landed = await landsAfterSignIn(next);
    expect(landed.host).toBe(site.host);
  });

  it('a page of the site is where it goes', async () => {
    const landed = await landsAfterSignIn(encodeURIComponent('/app/agenda.html'));
    expect(landed.pathname).toBe('/app/agenda.html');
  });
});
