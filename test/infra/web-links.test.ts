import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directoryIndexCode } from '../../infra/constructs/web-forms';
import { siteFiles, webRoot } from '../../infra/web-site';

/** What CloudFront's viewer-request function does with a path: the request it passes on, or its redirect. */
type Answer = { uri: string } | { statusCode: number; headers: { location: { value: string } } };
const directoryIndex = new Function(`${directoryIndexCode}; return handler;`)() as (event: { request: { uri: string } }) => Answer;

/** The objects a deploy puts in the bucket (WebForms.publish): every file of web/ and /config.js. */
const uploaded = new Set([...siteFiles(), 'config.js']);

/** Follows CloudFront as a browser would: redirects, then the object S3 is asked for. */
const objectFor = (path: string): string | undefined => {
  for (let uri = path, hops = 0; hops < 3; hops += 1) {
    const answer = directoryIndex({ request: { uri } });
    if ('uri' in answer) return answer.uri === '/' ? 'index.html' : answer.uri.slice(1);
    uri = answer.headers.location.value;
  }
};

/**
 * The site's own addresses in a page or a script: href/src/action attributes, and the paths the
 * scripts navigate to (pages, assets, literature). API paths (/leads) are the API's, not the site's.
 */
const sitePathsIn = (file: string): string[] => {
  const text = readFileSync(join(webRoot, file), 'utf8');
  const attributes = [...text.matchAll(/\b(?:href|src|action)="([^"]*)"/g)].map((match) => match[1]!);
  const navigations = [
    ...text.matchAll(/['"`](\/(?:app\/|assets\/|literature\/)?[\w./-]*?(?:\.html|\.js|\.css|\.pdf|\.svg|\/)?)(?=[?#'"`$])/g),
  ]
    .map((match) => match[1]!)
    .filter((path) => path === '/' || /^\/(app|assets|literature)\//.test(path) || /\.html$/.test(path));
  return [...attributes, ...navigations]
    .filter((path) => path.startsWith('/') && !path.startsWith('//'))
    .map((path) => path.replace(/[?#].*$/, '').replace(/\$\{.*$/, ''));
};

describe('every link in web/ resolves to an object the deployment uploads', () => {
  const pages = siteFiles().filter((file) => /\.(html|js)$/.test(file));

  it('the CloudFront Function serves a folder its index.html and sends /app to /app/', () => {
    expect(directoryIndex({ request: { uri: '/app/' } })).toEqual({ uri: '/app/index.html' });
    expect(directoryIndex({ request: { uri: '/app' } })).toMatchObject({ statusCode: 301, headers: { location: { value: '/app/' } } });
    expect(directoryIndex({ request: { uri: '/assets/site.css' } })).toEqual({ uri: '/assets/site.css' });
    expect(objectFor('/')).toBe('index.html');
  });

  it('finds the links it checks (staff pages, scripts, styles)', () => {
    const all = new Set(pages.flatMap(sitePathsIn));
    expect(all).toContain('/app/');
    expect(all).toContain('/sign-in.html');
    expect(all).toContain('/assets/site.css');
  });

  it.each(pages)('%s', (file) => {
    const missing = sitePathsIn(file).filter((path) => !uploaded.has(objectFor(path) ?? ''));
    expect(missing).toEqual([]);
  });
});
