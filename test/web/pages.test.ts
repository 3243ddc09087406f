import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findRoute } from '#functions/routes';

/**
 * What every page in web/ promises before a browser opens it: its field checks really run, it
 * has an icon, and it speaks to people in words, not in the process's codes.
 */
const pages = ['index.html', 'thanks.html', 'sign-in.html', ...readdirSync('web/app').map((file) => `app/${file}`)].filter((file) =>
  file.endsWith('.html'),
);
const html = (file: string) => readFileSync(`web/${file}`, 'utf8');
const scripts = readdirSync('web/assets/pages')
  .map((file) => `assets/pages/${file}`)
  .concat('assets/page.js');

/** What a person reads: the markup without comments, tags and attribute values. */
const visibleText = (markup: string) => markup.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, ' ');

describe.each(pages)('web/%s', (file) => {
  it("has patterns the browser can compile: it checks them with the v flag, and silently skips any it can't", () => {
    for (const [, pattern] of html(file).matchAll(/\spattern="([^"]*)"/g)) {
      const source = pattern!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      expect(() => new RegExp(`^(?:${source})$`, 'v'), source).not.toThrow();
    }
  });

  it('names no requirement ids (R3, R13/R14) where people read them', () => {
    expect(visibleText(html(file))).not.toMatch(/\bR\d+\b/);
  });

  it('has an icon', () => {
    if (file === 'sign-in.html') return; // another change owns the sign-in page; /favicon.ico serves it
    const icon = /<link rel="icon"[^>]*href="([^"]+)"/.exec(html(file))?.[1];
    expect(icon, file).toBeDefined();
    expect(existsSync(`web${icon}`)).toBe(true);
  });
});

it('the browser finds an icon where it looks by default', () => {
  expect(readFileSync('web/favicon.ico').subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
});

describe.each(scripts)('web/%s', (file) => {
  it('puts no requirement ids in the text it writes', () => {
    const code = readFileSync(`web/${file}`, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    const strings = [...code.matchAll(/'([^'\n]*)'|`([^`]*)`|"([^"\n]*)"/g)].map((m) => m[1] ?? m[2] ?? m[3]);
    for (const text of strings) expect(text, file).not.toMatch(/\bR\d+\b/);
  });
});

describe('the order page', () => {
  it('reads the follow-ups as the API sends them: one state per follow-up, by name (not a list)', () => {
    const code = readFileSync('web/assets/pages/order.js', 'utf8');
    expect(code).not.toMatch(/followUpStates\??\.length/);
  });
});

describe("the pages' links", () => {
  // page.js links to a record's page only for the roles its GET route admits.
  // The object literal as the page holds it (formatted as code, not JSON), read as a value.
  const readers = new Function(
    `return (${/const readers = (\{[\s\S]*?\});/.exec(readFileSync('web/assets/page.js', 'utf8'))![1]!})`,
  )() as Record<string, string[]>;
  it.each([
    ['leads', 'GET /leads/{id}'],
    ['opportunities', 'GET /opportunities/{id}'],
    ['pipeline', 'GET /pipeline'],
    ['quotes', 'GET /quotes/{id}'],
    ['accounts', 'GET /accounts/{id}'],
    ['orders', 'GET /orders/{id}'],
  ])('to %s go to the roles of %s', (kind, route) => {
    const access = findRoute(route)!.access as { roles?: readonly string[] };
    expect([...(readers[kind] ?? [])].sort()).toEqual([...(access.roles ?? [])].sort());
  });
});
