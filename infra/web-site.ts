import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The web forms' one definition, read by the CDK stack (S3 behind CloudFront) and by the local
 * stack (served beside the API): which files, how the API's address goes into them, the config
 * script the pages read, and the headers they are served with.
 */

export const webRoot = fileURLToPath(new URL('../web/', import.meta.url));

/** Every file the site serves, as paths relative to web/ (the type-checking config stays home). */
export const siteFiles = (): string[] =>
  readdirSync(webRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'tsconfig.json')
    .map((entry) => relative(webRoot, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();

/** Pages that name the API in their markup (the no-JavaScript lead form posts straight to it). */
const apiUrlMarker = '{{apiUrl}}';
export const isTemplated = (file: string) => file.endsWith('.html') && readFileSync(join(webRoot, file), 'utf8').includes(apiUrlMarker);
export const renderPage = (file: string, apiUrl: string): string =>
  readFileSync(join(webRoot, file), 'utf8').replaceAll(apiUrlMarker, apiUrl);

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
};
export const contentTypeOf = (file: string) => contentTypes[extname(file)] ?? 'application/octet-stream';

/** How people sign in: Cognito's hosted pages with PKCE on AWS, the local token stand-in here. */
export type SignIn =
  | { kind: 'local'; tokenUrl: string; people: { email: string; roles: string[] }[]; roles: readonly string[] }
  | { kind: 'cognito'; authorizeUrl: string; tokenUrl: string; clientId: string };

export interface SiteConfig {
  /** Where the API is; '' when it is this same origin. */
  apiUrl: string;
  signIn: SignIn;
}

/** /config.js, the one script the pages load before their own. */
export const siteConfigScript = (config: SiteConfig): string => `window.salesflow = ${JSON.stringify(config)};\n`;

/** The pages run only their own scripts, and talk only to the site and the API. */
export const contentSecurityPolicy = (apiOrigin: string, signInOrigin = '') =>
  [
    "default-src 'self'",
    `connect-src 'self' ${apiOrigin} ${signInOrigin}`.trim(),
    `form-action 'self' ${apiOrigin}`.trim(),
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
